/**
 * Hostile input to the pre-2017 OAuth endpoints (`/net2/oauth2/*.ashx`): malformed, over-long or
 * NUL-holding credentials and parameters, XML bodies with a DOCTYPE (never read: only query and
 * form parameters are), bodies over the form limit and bad credentials. Each is a 4xx `<Error>`, and
 * nothing is written: no sign-in is recorded, the refresh token keeps its expiry and still
 * works, nothing is revoked.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestTenant } from '../helpers/app-fixture.js';
import {
  basicAuth,
  LEGACY_PATH,
  legacyRefresh,
  type legacySignIn,
  signedIn,
} from '../helpers/legacy-oauth-requests.js';
import type { Tenant, TestContext } from '../helpers/test-app.js';
import { expectError } from '../helpers/trip-requests.js';

let context: TestContext;
let tenant: Tenant;
let session: { token: string; refreshToken: string };

useTestTenant((given) => {
  ({ context, tenant } = given);
});
beforeAll(async () => {
  session = await signedIn(context.app, tenant.app, tenant.traveller);
});

/** What the endpoints store: the refresh tokens, with their expiry and revocation. */
async function state() {
  const rows = await context.database.db
    .selectFrom('refresh_tokens')
    .select(['id', 'expires_at', 'revoked_at', 'used_at'])
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ ...row, expires_at: Number(row.expires_at) }));
}

/** Runs `send`, which must be refused with `status`, and checks that nothing changed. */
async function refusedWithoutWriting(
  status: number,
  send: () => ReturnType<typeof legacySignIn>,
  message?: RegExp,
) {
  const before = await state();
  expectError(await send(), status, message);
  expect(await state()).toEqual(before);
}

const inject = (method: 'GET' | 'POST', url: string, headers = {}, payload?: string | Buffer) =>
  context.app.inject({ method, url: `${LEGACY_PATH}/${url}`, headers, payload });

describe('GET /net2/oauth2/accesstoken.ashx with hostile credentials', () => {
  const key = () => ({ 'x-consumerkey': tenant.app.clientId });
  const cases: [string, () => Record<string, string>][] = [
    ['no Authorization', () => key()],
    ['Basic that is not Base-64', () => ({ ...key(), authorization: 'Basic !!!***' })],
    ['Basic without a colon', () => ({ ...key(), authorization: `Basic ${btoa('nocolon')}` })],
    ['a Bearer token', () => ({ ...key(), authorization: `Bearer ${session.token}` })],
    [
      'a wrong password',
      () => ({ ...key(), authorization: basicAuth(tenant.traveller.loginId, 'wrong') }),
    ],
    [
      'a NUL in the login id',
      () => ({ ...key(), authorization: basicAuth('a\u0000b@example.com', 'pw') }),
    ],
    [
      'a login id of 10,000 characters',
      () => ({ ...key(), authorization: basicAuth('l'.repeat(10_000), 'pw') }),
    ],
    [
      'a password of 10,000 characters',
      () => ({ ...key(), authorization: basicAuth(tenant.traveller.loginId, 'p'.repeat(10_000)) }),
    ],
    [
      'no X-ConsumerKey',
      () => ({ authorization: basicAuth(tenant.traveller.loginId, tenant.traveller.password) }),
    ],
    [
      'an X-ConsumerKey of 5,000 characters',
      () => ({
        'x-consumerkey': 'k'.repeat(5000),
        authorization: basicAuth(tenant.traveller.loginId, tenant.traveller.password),
      }),
    ],
  ];
  for (const [name, headers] of cases) {
    it(`returns 401 for ${name}, and signs nobody in`, async () => {
      await refusedWithoutWriting(401, () => inject('GET', 'accesstoken.ashx', headers()));
    });
  }
});

describe('GET|POST /net2/oauth2/getaccesstoken.ashx with hostile parameters', () => {
  const query = (values: Record<string, string>) =>
    `getaccesstoken.ashx?${new URLSearchParams({
      refresh_token: session.refreshToken,
      client_id: tenant.app.clientId,
      client_secret: tenant.app.clientSecret,
      ...values,
    })}`;

  it('returns 400 for over-long, NUL or missing values, and refreshes nothing', async () => {
    const cases: Record<string, string>[] = [
      { refresh_token: 'r'.repeat(5000) },
      { refresh_token: `${session.refreshToken}\u0000` },
      { client_id: `${tenant.app.clientId}\u0000` },
      { refresh_token: '' },
    ];
    for (const values of cases) {
      await refusedWithoutWriting(400, () => inject('GET', query(values)));
    }
  });

  it('returns 400 for a malformed percent-encoding', async () => {
    await refusedWithoutWriting(400, () =>
      inject('GET', `getaccesstoken.ashx?refresh_token=%ZZ&client_id=%E0%A4%A`),
    );
  });

  it('returns 401 for a wrong client secret and 400 for another app’s refresh token', async () => {
    await refusedWithoutWriting(401, () => inject('GET', query({ client_secret: 'wrong' })));
    await refusedWithoutWriting(400, () => inject('GET', query({ refresh_token: 'not-ours' })));
  });

  it('reads no XML body (415), and refuses a form over its limit with 413', async () => {
    const values = {
      refresh_token: session.refreshToken,
      client_id: tenant.app.clientId,
      client_secret: tenant.app.clientSecret,
    };
    const xml = '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>';
    await refusedWithoutWriting(
      415,
      () => inject('POST', 'getaccesstoken.ashx', { 'content-type': 'application/xml' }, xml),
      /application\/x-www-form-urlencoded/,
    );
    const form = `${new URLSearchParams(values)}&pad=${'p'.repeat(17 * 1024)}`;
    await refusedWithoutWriting(413, () =>
      inject(
        'POST',
        'getaccesstoken.ashx',
        { 'content-type': 'application/x-www-form-urlencoded' },
        form,
      ),
    );
    // The sign-in is intact.
    expect((await legacyRefresh(context.app, tenant.app, session.refreshToken)).statusCode).toBe(
      200,
    );
  });

  // COMPATIBILITY.md: "parameters come from the query or a form body".
  it('returns 415 for a JSON body instead of reading it as parameters', async () => {
    const values = {
      refresh_token: session.refreshToken,
      client_id: tenant.app.clientId,
      client_secret: tenant.app.clientSecret,
    };
    await refusedWithoutWriting(
      415,
      () =>
        inject(
          'POST',
          'getaccesstoken.ashx',
          { 'content-type': 'application/json' },
          JSON.stringify(values),
        ),
      /Unsupported Content-Type 'application\/json'/,
    );
    // The same values as a form are read.
    const form = await inject(
      'POST',
      'getaccesstoken.ashx',
      { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      new URLSearchParams(values).toString(),
    );
    expect(form.statusCode, form.body).toBe(200);
  });
});

describe('POST /net2/oauth2/revoketoken.ashx with hostile input', () => {
  const revoke = (query: string, headers: Record<string, string>, payload?: string) =>
    inject('POST', `revoketoken.ashx?${query}`, headers, payload);
  const own = () => ({ authorization: `OAuth ${session.token}` });

  it('returns 401 without a token and 403 for one that does not verify, revoking nothing', async () => {
    const query = `token=${session.token}`;
    await refusedWithoutWriting(401, () => revoke(query, {}));
    await refusedWithoutWriting(401, () =>
      revoke(query, { authorization: basicAuth(tenant.traveller.loginId, 'x') }),
    );
    await refusedWithoutWriting(403, () => revoke(query, { authorization: 'OAuth not-a-token' }));
  });

  it('returns 400 for over-long or NUL parameters and 405 for GET, revoking nothing', async () => {
    await refusedWithoutWriting(400, () => revoke(`token=${'t'.repeat(5000)}`, own()));
    await refusedWithoutWriting(400, () => revoke('consumerKey=a%00b&user=x', own()));
    await refusedWithoutWriting(405, () =>
      inject('GET', `revoketoken.ashx?token=${session.token}`, own()),
    );
  });

  it('reads no XML body (415), and refuses a form over its limit with 413', async () => {
    const xml = '<!DOCTYPE r [<!ENTITY a "a"><!ENTITY b "&a;&a;">]><r>&b;</r>';
    await refusedWithoutWriting(
      415,
      () => revoke('', { ...own(), 'content-type': 'application/xml' }, xml),
      /application\/x-www-form-urlencoded/,
    );
    await refusedWithoutWriting(413, () =>
      revoke(
        '',
        { ...own(), 'content-type': 'application/x-www-form-urlencoded' },
        `token=${session.token}&pad=${'p'.repeat(17 * 1024)}`,
      ),
    );
    expect((await legacyRefresh(context.app, tenant.app, session.refreshToken)).statusCode).toBe(
      200,
    );
  });
});
