/**
 * Concur's pre-2017 web flow (authorization-pre-2017.markdown, "Web" and "Getting an access
 * token"): `Login.aspx` shows the v0 sign-in page under the doc's parameters, redirects with
 * `code` and `state`, and `GetAccessToken.ashx?code&client_id&client_secret` exchanges the code
 * for the native flow's `<Access_Token>`. The App Center flow is the same exchange.
 */

import type { LightMyRequestResponse } from 'fastify';
import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCOPES_CLAIM } from '../../src/modules/oauth/keys/access-token.js';
import { useTestTenant } from '../helpers/app-fixture.js';
import {
  exchangeCode,
  hiddenFields,
  REDIRECT_URI,
  redirectParams,
  signInForCode,
} from '../helpers/authorize-flow.js';
import { seedTenant, type Tenant, type TestContext } from '../helpers/test-app.js';
import { expectError } from '../helpers/trip-requests.js';
import { children, parseXml, text } from '../helpers/xml-tree.js';

let context: TestContext;
let tenant: Tenant;
/** Another company's app, with one registered redirect URI. */
let neighbour: Tenant;

const OTHER_URI = 'http://localhost:3000/cb';

useTestTenant({ tenant: { redirectUris: [REDIRECT_URI, OTHER_URI] } }, (given) => {
  ({ context, tenant } = given);
});
beforeAll(async () => {
  neighbour = await seedTenant(context, { redirectUris: [REDIRECT_URI] });
});

/** `Login.aspx` with the doc's parameters (override, or drop with undefined). */
function login(
  overrides: Record<string, string | undefined> = {},
  path = 'Login.aspx',
  app = tenant,
) {
  const params: Record<string, string | undefined> = {
    client_id: app.app.clientId,
    scope: 'ITINER',
    redirect_uri: REDIRECT_URI,
    state: 'partner-user-42',
    ...overrides,
  };
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) query.append(name, value);
  }
  return context.app.inject({ method: 'GET', url: `/net2/oauth2/${path}?${query}` });
}

function postForm(fields: Record<string, string>) {
  return context.app.inject({
    method: 'POST',
    url: '/net2/oauth2/Login.aspx',
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

/** The page's form, signed in as `user` (or denied). */
async function submit(
  page: LightMyRequestResponse,
  user: { loginId: string; password: string } = tenant.traveller,
  action = 'allow',
) {
  expect(page.statusCode, page.body).toBe(200);
  return postForm({
    ...hiddenFields(page.body),
    login_id: user.loginId,
    password: user.password,
    action,
  });
}

/** Signs the traveller in through Login.aspx and returns the code of the redirect. */
async function codeFor(overrides: Record<string, string | undefined> = {}, app = tenant) {
  const user = app === tenant ? tenant.traveller : app.traveller;
  const response = await submit(await login(overrides, 'Login.aspx', app), user);
  expect(response.statusCode, response.body).toBe(302);
  const code = redirectParams(String(response.headers.location)).get('code');
  expect(code).toBeTruthy();
  return code as string;
}

/** The doc's "Getting an access token". */
function getAccessToken(
  code: string,
  app = tenant,
  secret = app.app.clientSecret,
  path = 'GetAccessToken.ashx',
) {
  const query = new URLSearchParams({ code, client_id: app.app.clientId, client_secret: secret });
  return context.app.inject({ method: 'GET', url: `/net2/oauth2/${path}?${query}` });
}

function accessTokenOf(response: LightMyRequestResponse) {
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/xml/);
  expect(response.headers['cache-control']).toBe('no-store');
  const doc = parseXml(response.body);
  expect(doc.name).toBe('Access_Token');
  expect(doc.children.map((c) => c.name)).toEqual([
    'Instance_Url',
    'Token',
    'Expiration_date',
    'Refresh_Token',
  ]);
  return {
    instanceUrl: text(doc, 'Instance_Url'),
    token: text(doc, 'Token') ?? '',
    expiration: text(doc, 'Expiration_date') ?? '',
    refreshToken: children(doc, 'Refresh_Token')[0]?.text ?? '',
  };
}

function listTrips(token: string) {
  return context.app.inject({
    method: 'GET',
    url: '/api/travel/trip/v1.1',
    headers: { authorization: `OAuth ${token}` },
  });
}

describe('GET /net2/oauth2/Login.aspx → sign-in → redirect → GetAccessToken.ashx', () => {
  it('runs the whole web flow: code and state intact, a year-long token that lists trips', async () => {
    const page = await login();
    expect(page.statusCode, page.body).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['x-frame-options']).toBe('DENY');
    // The v0 page itself, posting back to Login.aspx with the doc's parameters.
    expect(page.body).toContain('<form method="post" action="/net2/oauth2/Login.aspx">');
    expect(page.body).toContain('(ITINER)');
    expect(page.body).toContain('name="password"');
    expect(hiddenFields(page.body)).toMatchObject({
      client_id: tenant.app.clientId,
      redirect_uri: REDIRECT_URI,
      scope: 'ITINER',
      state: 'partner-user-42',
    });

    const redirect = await submit(page);
    expect(redirect.statusCode).toBe(302);
    const location = String(redirect.headers.location);
    expect(location).toMatch(
      /^https:\/\/client\.example\/callback\?code=[^&]+&state=partner-user-42$/,
    );
    const code = redirectParams(location).get('code') ?? '';

    const issued = accessTokenOf(await getAccessToken(code));
    expect(issued.instanceUrl).toBe('http://localhost:80');
    expect(issued.expiration).toMatch(/^\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d{2}:\d{2} (AM|PM)$/);
    const claims = decodeJwt(issued.token);
    expect(claims[SCOPES_CLAIM]).toEqual(['ITINER']);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(365 * 24 * 3600);
    expect((await listTrips(issued.token)).statusCode).toBe(200);

    // Its refresh token is the native flow's: refreshed at the same path, without rotation.
    const query = new URLSearchParams({
      refresh_token: issued.refreshToken,
      client_id: tenant.app.clientId,
      client_secret: tenant.app.clientSecret,
    });
    const refreshed = await context.app.inject({
      method: 'GET',
      url: `/net2/oauth2/getaccesstoken.ashx?${query}`,
    });
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    const token = text(parseXml(refreshed.body), 'Token') ?? '';
    expect((await listTrips(token)).statusCode).toBe(200);
  });

  it("reads comma-separated scopes, defaults to the app's, and omits state when none was sent", async () => {
    const both = await login({ scope: 'openid,ITINER' });
    expect(hiddenFields(both.body).scope).toBe('openid,ITINER');
    const all = await login({ scope: undefined });
    expect(hiddenFields(all.body).scope).toBe('openid,ITINER');
    const stateless = await submit(await login({ state: undefined }));
    expect(stateless.statusCode).toBe(302);
    const params = redirectParams(String(stateless.headers.location));
    expect([...params.keys()]).toEqual(['code']);
    const issued = accessTokenOf(await getAccessToken(params.get('code') ?? ''));
    expect(decodeJwt(issued.token)[SCOPES_CLAIM]).toEqual(['ITINER']);
  });

  it('matches login.aspx in any letter case and tolerates a doubled ?', async () => {
    const lower = await login({}, 'login.aspx');
    expect(lower.statusCode).toBe(308);
    const location = String(lower.headers.location);
    expect(location.startsWith('/net2/oauth2/Login.aspx?client_id=')).toBe(true);
    expect(location).toContain('state=partner-user-42');
    const doubled = await context.app.inject({
      method: 'GET',
      url: `/net2/oauth2/Login.aspx?client_id=${tenant.app.clientId}?redirect_uri=${encodeURIComponent(REDIRECT_URI)}?state=s1`,
    });
    expect(doubled.statusCode, doubled.body).toBe(200);
    expect(hiddenFields(doubled.body)).toMatchObject({ redirect_uri: REDIRECT_URI, state: 's1' });
    // GetAccessToken.ashx in any case too.
    accessTokenOf(await getAccessToken(await codeFor(), tenant, undefined, 'GETACCESSTOKEN.ASHX'));
  });

  it('redirects with access_denied, and the state, when the user denies', async () => {
    const response = await submit(await login(), tenant.traveller, 'deny');
    expect(response.statusCode).toBe(302);
    const params = redirectParams(String(response.headers.location));
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('error_description')).toBeTruthy();
    expect(params.get('state')).toBe('partner-user-42');
    expect(params.has('code')).toBe(false);
  });

  it('never redirects to a redirect URI the app did not register (an HTML 400 instead)', async () => {
    for (const uri of [
      'https://evil.example/callback',
      `${REDIRECT_URI}/more`,
      `${REDIRECT_URI}?next=https://evil.example`,
      'HTTPS://client.example/callback',
    ]) {
      const response = await login({ redirect_uri: uri });
      expect(response.statusCode, uri).toBe(400);
      expect(response.headers.location).toBeUndefined();
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toContain('not registered');
    }
    // Two registered: one must be named. An unknown client: nothing to trust.
    expect((await login({ redirect_uri: undefined })).statusCode).toBe(400);
    expect((await login({ client_id: 'no-such-app' })).statusCode).toBe(400);
    // The form's POST is checked again: a forged redirect URI gets no code either.
    const page = await login();
    const forged = await postForm({
      ...hiddenFields(page.body),
      redirect_uri: 'https://evil.example/callback',
      login_id: tenant.traveller.loginId,
      password: tenant.traveller.password,
      action: 'allow',
    });
    expect(forged.statusCode).toBe(400);
    expect(forged.headers.location).toBeUndefined();
  });

  it("accepts only its own page's form: a v0 form or a changed scope gets no code", async () => {
    const v0 = await context.app.inject({
      method: 'GET',
      url: `/oauth2/v0/authorize?${new URLSearchParams({
        client_id: tenant.app.clientId,
        redirect_uri: REDIRECT_URI,
        response_type: 'code',
        scope: 'ITINER',
        state: 'partner-user-42',
      })}`,
    });
    const page = await login();
    for (const fields of [
      { ...hiddenFields(page.body), form_token: hiddenFields(v0.body).form_token ?? '' },
      { ...hiddenFields(page.body), scope: 'openid,ITINER' },
    ]) {
      const response = await postForm({
        ...fields,
        login_id: tenant.traveller.loginId,
        password: tenant.traveller.password,
        action: 'allow',
      });
      expect(response.statusCode).toBe(400);
      expect(response.headers.location).toBeUndefined();
      expect(response.body).toContain('This sign-in form is not valid.');
    }
  });

  it("uses the app's only registered redirect URI when none is sent", async () => {
    const code = await codeFor({ redirect_uri: undefined }, neighbour);
    accessTokenOf(await getAccessToken(code, neighbour));
  });

  it("refuses a scope beyond the app's at its redirect URI (invalid_scope, state kept)", async () => {
    for (const scope of ['ITINER,EXPRPT', 'USER']) {
      const response = await login({ scope });
      expect(response.statusCode).toBe(302);
      const params = redirectParams(String(response.headers.location));
      expect(params.get('error')).toBe('invalid_scope');
      expect(params.get('state')).toBe('partner-user-42');
    }
  });
});

describe('GET /net2/oauth2/GetAccessToken.ashx?code=', () => {
  it('refuses an unknown code and a wrong secret in the <Error> form', async () => {
    expectError(await getAccessToken('not-a-code'), 400, /code is invalid/);
    const code = await codeFor();
    expectError(await getAccessToken(code, tenant, 'wrong-secret-000000000'), 401);
    // A failed client check spends nothing: the code still works.
    accessTokenOf(await getAccessToken(code));
  });

  it("refuses another app's code without spoiling it", async () => {
    const code = await codeFor();
    expectError(await getAccessToken(code, neighbour), 400, /not issued to this client/);
    accessTokenOf(await getAccessToken(code));
  });

  it('uses a code once; a replay also revokes what the code issued', async () => {
    const code = await codeFor();
    const first = accessTokenOf(await getAccessToken(code));
    expect((await listTrips(first.token)).statusCode).toBe(200);
    expectError(await getAccessToken(code), 400, /already used/);
    expectError(await listTrips(first.token), 403);
  });

  it('refuses an expired code', async () => {
    const code = await codeFor();
    await context.database.db
      .updateTable('authorization_codes')
      .set({ expires_at: Date.now() - 1 })
      .where('used_at', 'is', null)
      .execute();
    expectError(await getAccessToken(code), 400, /expired/);
  });

  it('serves no Auto-Connect connection requests (out of scope)', async () => {
    const { token } = accessTokenOf(await getAccessToken(await codeFor()));
    const response = await context.app.inject({
      method: 'GET',
      url: '/common/connectionrequests',
      headers: { authorization: `OAuth ${token}` },
    });
    expect(response.statusCode).toBe(404);
  });

  it('keeps v0 codes and Login.aspx codes apart', async () => {
    // A v0 code may carry a PKCE challenge and is bound to its redirect URI: not redeemed here.
    const v0 = await signInForCode(context, tenant, tenant.traveller);
    expectError(await getAccessToken(v0), 400, /code is invalid/);
    // A Login.aspx code is not redeemed at the v0 token endpoint.
    const net2 = await codeFor();
    const refused = await exchangeCode(context, tenant, net2);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toBe('invalid_grant');
    // Neither refusal spent the other's code.
    expect((await exchangeCode(context, tenant, v0)).statusCode).toBe(200);
    accessTokenOf(await getAccessToken(net2));
  });
});
