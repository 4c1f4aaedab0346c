/**
 * Concur's pre-2017 OAuth endpoints (authorization-pre-2017.markdown), with the doc's requests:
 * the native flow, the refresh, both revocations, and the doubled `?` of older clients.
 */
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { tolerantQuery } from '../../src/http/tolerant-query.js';
import { formatLegacyDate } from '../../src/modules/oauth/legacy/access-token.presenter.js';
import { useTestTenant } from '../helpers/app-fixture.js';
import { passwordGrant, type Tenant, type TestContext } from '../helpers/test-app.js';
import { expectError } from '../helpers/trip-requests.js';
import { children, parseXml, text } from '../helpers/xml-tree.js';

let context: TestContext;
let tenant: Tenant;

useTestTenant((given) => {
  ({ context, tenant } = given);
});

const basic = (login: string, password: string) =>
  `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;

/** The doc's native flow: `GET {uri}`, `Authorization: Basic …`, `X-ConsumerKey: …`. */
function nativeFlow(
  user = tenant.traveller,
  options: { path?: string; consumerKey?: string | null; authorization?: string } = {},
) {
  const headers: Record<string, string> = {
    authorization: options.authorization ?? basic(user.loginId, user.password),
  };
  if (options.consumerKey !== null) {
    headers['x-consumerkey'] = options.consumerKey ?? tenant.app.clientId;
  }
  return context.app.inject({
    method: 'GET',
    url: options.path ?? '/net2/oauth2/accesstoken.ashx',
    headers,
  });
}

/** The doc's refresh: `GET …/getaccesstoken.ashx?refresh_token=…&client_id=…&client_secret=…`. */
function refresh(refreshToken: string, secret = tenant.app.clientSecret, separator = '?') {
  const query = new URLSearchParams({
    refresh_token: refreshToken,
    client_id: tenant.app.clientId,
    client_secret: secret,
  });
  return context.app.inject({
    method: 'GET',
    url: `/net2/oauth2/getaccesstoken.ashx${separator}${query}`,
  });
}

function revoke(query: Record<string, string>, token: string) {
  return context.app.inject({
    method: 'POST',
    url: `/net2/oauth2/revoketoken.ashx?${new URLSearchParams(query)}`,
    headers: { authorization: `OAuth ${token}` },
  });
}

function listTripsWith(token: string) {
  return context.app.inject({
    method: 'GET',
    url: '/api/travel/trip/v1.1',
    headers: { authorization: `OAuth ${token}` },
  });
}

interface AccessToken {
  names: string[];
  instanceUrl?: string;
  token: string;
  expiration: string;
  refreshToken?: string;
}

function accessTokenOf(response: LightMyRequestResponse): AccessToken {
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/xml/);
  expect(response.headers['cache-control']).toBe('no-store');
  const doc = parseXml(response.body);
  expect(doc.name).toBe('Access_Token');
  expect(doc.uri).toBe('');
  return {
    names: doc.children.map((c) => c.name),
    instanceUrl: text(doc, 'Instance_Url'),
    token: text(doc, 'Token') ?? '',
    expiration: text(doc, 'Expiration_date') ?? '',
    refreshToken: children(doc, 'Refresh_Token')[0]?.text,
  };
}

/** Reads `M/D/YYYY h:mm:ss AM` as UTC. */
function parseLegacyDate(value: string): number {
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2}) (AM|PM)$/.exec(value);
  expect(match, value).not.toBeNull();
  const [, month, day, year, hour, minute, second, half] = (match ?? []).map(String);
  const hours = (Number(hour) % 12) + (half === 'PM' ? 12 : 0);
  return Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    hours,
    Number(minute),
    Number(second),
  );
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

describe('formatLegacyDate and tolerantQuery', () => {
  it('writes the doc sample dates (UTC, 12-hour clock)', () => {
    expect(formatLegacyDate(new Date(Date.UTC(2014, 5, 1, 8, 0, 0)))).toBe('6/1/2014 8:00:00 AM');
    expect(formatLegacyDate(new Date(Date.UTC(2013, 2, 30, 14, 19, 10)))).toBe(
      '3/30/2013 2:19:10 PM',
    );
    expect(formatLegacyDate(new Date(Date.UTC(2020, 11, 31, 0, 5, 9)))).toBe(
      '12/31/2020 12:05:09 AM',
    );
    expect(formatLegacyDate(new Date(Date.UTC(2020, 0, 1, 12, 0, 0)))).toBe('1/1/2020 12:00:00 PM');
  });

  it('reads an unencoded ? after the first as &, and keeps an encoded one', () => {
    expect(tolerantQuery('/x??a=1')).toEqual({ a: '1' });
    expect(tolerantQuery('/x?a=1?b=2&b=3')).toEqual({ a: '1', b: ['2', '3'] });
    expect(tolerantQuery('/x?a=1%3Fb%3D2')).toEqual({ a: '1?b=2' });
    expect(tolerantQuery('/x')).toEqual({});
  });
});

describe('GET /net2/oauth2/accesstoken.ashx (native flow)', () => {
  it("answers the doc's Access_Token with a year-long token that works as OAuth <token>", async () => {
    const before = Date.now();
    const answer = accessTokenOf(await nativeFlow());
    expect(answer.names).toEqual(['Instance_Url', 'Token', 'Expiration_date', 'Refresh_Token']);
    expect(answer.instanceUrl).toBe('http://localhost:80');
    const expires = parseLegacyDate(answer.expiration);
    expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + YEAR_MS - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + YEAR_MS);
    expect(answer.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // docs/COMPATIBILITY.md tells clients to keep room for about 1,200 characters.
    expect(answer.token.length).toBeLessThan(1200);
    expect((await listTripsWith(answer.token)).statusCode).toBe(200);
  });

  it('matches the file name in any letter case and tolerates a doubled ?', async () => {
    accessTokenOf(await nativeFlow(tenant.traveller, { path: '/net2/oauth2/AccessToken.ashx' }));
    accessTokenOf(
      await nativeFlow(tenant.traveller, { path: '/net2/oauth2/accesstoken.ashx??x=1' }),
    );
  });

  it('answers 401 <Error> with a Basic challenge for bad or missing credentials', async () => {
    const cases = [
      nativeFlow(tenant.traveller, {
        authorization: basic(tenant.traveller.loginId, 'wrong-password'),
      }),
      nativeFlow(tenant.traveller, { authorization: basic('nobody@example.com', 'x') }),
      nativeFlow(tenant.traveller, { authorization: 'Basic bm8tY29sb24=' }),
      nativeFlow(tenant.traveller, { consumerKey: null }),
      nativeFlow(tenant.traveller, { consumerKey: 'no-such-app' }),
    ];
    for (const response of await Promise.all(cases)) {
      expectError(response, 401);
      expect(response.headers['www-authenticate']).toMatch(/^Basic realm=/);
    }
  });

  it('answers 404 for an unknown .ashx file', async () => {
    const response = await context.app.inject({ method: 'GET', url: '/net2/oauth2/nothing.ashx' });
    expectError(response, 404);
  });
});

describe('GET /net2/oauth2/getaccesstoken.ashx (refresh)', () => {
  it('answers a new token of a year and no Refresh_Token; the refresh token stays usable', async () => {
    const signIn = accessTokenOf(await nativeFlow());
    const first = accessTokenOf(await refresh(signIn.refreshToken ?? ''));
    expect(first.names).toEqual(['Instance_Url', 'Token', 'Expiration_date']);
    expect(first.token).not.toBe(signIn.token);
    expect((await listTripsWith(first.token)).statusCode).toBe(200);
    // The client keeps its refresh token (the answer names none), so it works again, also
    // from an older client's doubled `?`.
    const second = accessTokenOf(await refresh(signIn.refreshToken ?? '', undefined, '??'));
    expect((await listTripsWith(second.token)).statusCode).toBe(200);
  });

  it('checks the app secret and refuses unknown or v0 refresh tokens', async () => {
    const signIn = accessTokenOf(await nativeFlow());
    expectError(await refresh(signIn.refreshToken ?? '', 'wrong-secret-0000000'), 401);
    expectError(await refresh('not-a-refresh-token'), 400, /refresh_token/);
    const v0 = (await passwordGrant(context, tenant, tenant.traveller)).json();
    expectError(await refresh(v0.refresh_token), 400, /refresh_token/);
    // The same path exchanges request tokens (code=): one or the other, never both or neither.
    const client = `client_id=${tenant.app.clientId}&client_secret=${tenant.app.clientSecret}`;
    const neither = await context.app.inject({
      method: 'GET',
      url: `/net2/oauth2/GetAccessToken.ashx?${client}`,
    });
    expectError(neither, 400, /code .*or refresh_token is missing/);
    const both = await context.app.inject({
      method: 'GET',
      url: `/net2/oauth2/GetAccessToken.ashx?code=abc&refresh_token=${signIn.refreshToken}&${client}`,
    });
    expectError(both, 400, /not both/);
  });
});

describe('POST /net2/oauth2/revoketoken.ashx', () => {
  it("revokes a single token as the doc's example does (the token revokes itself)", async () => {
    const signIn = accessTokenOf(await nativeFlow());
    const response = await revoke({ token: signIn.token }, signIn.token);
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
    expectError(await listTripsWith(signIn.token), 403);
    expectError(await refresh(signIn.refreshToken ?? ''), 400);
  });

  it("revokes every token of a user for an app (consumerKey + user), an administrator's call", async () => {
    const travellers = [accessTokenOf(await nativeFlow()), accessTokenOf(await nativeFlow())];
    const refreshed = accessTokenOf(await refresh(travellers[0]?.refreshToken ?? ''));
    const other = accessTokenOf(await nativeFlow(tenant.otherTraveller));
    // Another traveller may not; the administrator may.
    const refused = await revoke(
      { consumerKey: tenant.app.clientId, user: tenant.traveller.loginId },
      other.token,
    );
    expectError(refused, 403, /Administrator/);
    const admin = (await passwordGrant(context, tenant, tenant.admin)).json();
    const response = await revoke(
      { consumerKey: tenant.app.clientId, user: tenant.traveller.loginId },
      admin.access_token,
    );
    expect(response.statusCode, response.body).toBe(200);
    for (const token of [...travellers.map((t) => t.token), refreshed.token]) {
      expectError(await listTripsWith(token), 403);
    }
    expect((await listTripsWith(other.token)).statusCode).toBe(200);
  });

  it('answers the documented errors', async () => {
    const signIn = accessTokenOf(await nativeFlow());
    const v0 = (await passwordGrant(context, tenant, tenant.traveller)).json();
    expectError(await revoke({ token: v0.access_token }, signIn.token), 400, /app-mgmt/);
    expectError(await revoke({ user: tenant.traveller.loginId }, signIn.token), 400, /consumerKey/);
    expectError(await revoke({}, signIn.token), 400);
    const anonymous = await context.app.inject({
      method: 'POST',
      url: `/net2/oauth2/revoketoken.ashx?token=${signIn.token}`,
    });
    expectError(anonymous, 401);
    const viaGet = await context.app.inject({
      method: 'GET',
      url: `/net2/oauth2/revoketoken.ashx?token=${signIn.token}`,
      headers: { authorization: `OAuth ${signIn.token}` },
    });
    expectError(viaGet, 405);
    expect((await listTripsWith(signIn.token)).statusCode).toBe(200);
  });
});

describe('the sign-in throttle', () => {
  it('pauses a login id after repeated failures here, on the token endpoint too', async () => {
    const loginId = 'guessed-user@example.com';
    let last: LightMyRequestResponse | undefined;
    for (let attempt = 0; attempt < 7; attempt++) {
      last = await nativeFlow(tenant.traveller, {
        authorization: basic(loginId, `guess-${attempt}`),
      });
    }
    expectError(last as LightMyRequestResponse, 429, /Too many failed sign-ins/);
    expect(Number(last?.headers['retry-after'])).toBeGreaterThan(0);
    const v0 = await passwordGrant(context, tenant, { loginId, password: 'another-guess' });
    expect(v0.statusCode).toBe(429);
  });
});
