import { createHash, randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestTenant } from '../helpers/app-fixture.js';
import { exchangeCode, REDIRECT_URI, refresh, signInForCode } from '../helpers/authorize-flow.js';
import { seedTenant, type Tenant, type TestContext } from '../helpers/test-app.js';

let context: TestContext;
let tenant: Tenant;
let otherClient: Tenant;

useTestTenant({ tenant: { redirectUris: [REDIRECT_URI] } }, (given) => {
  ({ context, tenant } = given);
});
beforeAll(async () => {
  otherClient = await seedTenant(context, { redirectUris: [REDIRECT_URI] });
});

const codeFor = (overrides: Record<string, string | undefined> = {}) =>
  signInForCode(context, tenant, tenant.traveller, overrides);

function expectError(
  response: Awaited<ReturnType<typeof exchangeCode>>,
  code: number,
  error: string,
  status = 400,
) {
  expect({ status: response.statusCode, body: response.json() }).toMatchObject({
    status,
    body: { code, error },
  });
}

describe('POST /oauth2/v0/token grant_type=authorization_code', () => {
  it('answers 101 without code, 102 without redirect_uri, 103 for an unknown code, 104 for another redirect_uri', async () => {
    const code = await codeFor();
    expectError(await exchangeCode(context, tenant, ''), 101, 'invalid_request');
    expectError(
      await exchangeCode(context, tenant, code, { redirect_uri: '' }),
      102,
      'invalid_request',
    );
    expectError(await exchangeCode(context, tenant, 'not-a-code'), 103, 'invalid_grant');
    expectError(
      await exchangeCode(context, tenant, code, { redirect_uri: `${REDIRECT_URI}/` }),
      104,
      'invalid_grant',
    );
    // None of these used the code up.
    expect((await exchangeCode(context, tenant, code)).statusCode).toBe(200);
  });

  it('answers 105 to another client, which neither uses nor spoils the code', async () => {
    const code = await codeFor();
    expectError(await exchangeCode(context, otherClient, code), 105, 'invalid_grant');
    expectError(
      await exchangeCode(context, tenant, code, { client_secret: 'wrong-secret-0000000' }),
      64,
      'invalid_client',
      401,
    );
    expect((await exchangeCode(context, tenant, code)).statusCode).toBe(200);
  });

  it('refuses a code used twice and revokes the refresh tokens it issued', async () => {
    const code = await codeFor();
    const first = await exchangeCode(context, tenant, code);
    expect(first.statusCode).toBe(200);
    const rotated = await refresh(context, tenant, first.json().refresh_token);
    expect(rotated.statusCode).toBe(200);

    expectError(await exchangeCode(context, tenant, code), 103, 'invalid_grant');
    // Every refresh token descending from the code is dead, the rotated one included.
    expect((await refresh(context, tenant, rotated.json().refresh_token)).json()).toMatchObject({
      code: 108,
    });
  });

  it('refuses an expired code', async () => {
    const code = await codeFor();
    await context.database.db
      .updateTable('authorization_codes')
      .set({ expires_at: Date.now() - 1 })
      .where('used_at', 'is', null)
      .execute();
    expectError(await exchangeCode(context, tenant, code), 103, 'invalid_grant');
  });

  it('stores codes hashed, bound to the app, user, redirect URI and scope, for ten minutes', async () => {
    const code = await codeFor({ scope: 'ITINER' });
    const rows = await context.database.db.selectFrom('authorization_codes').selectAll().execute();
    expect(rows.map((r) => r.code_hash)).not.toContain(code);
    const row = rows.find(
      (r) => r.code_hash === createHash('sha256').update(code).digest('base64url'),
    );
    expect(row).toMatchObject({ redirect_uri: REDIRECT_URI, scope: 'ITINER', used_at: null });
    expect(row!.expires_at - row!.created_at).toBe(600_000);
  });

  it('lets exactly one of two concurrent exchanges win', async () => {
    const code = await codeFor();
    const responses = await Promise.all([
      exchangeCode(context, tenant, code),
      exchangeCode(context, tenant, code),
    ]);
    const statuses = responses.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([200, 400]);
    const loser = responses.find((r) => r.statusCode === 400)!;
    expect(loser.json()).toMatchObject({ code: 103 });
    // The loser is a replay: what the winner got is revoked too.
    const winner = responses.find((r) => r.statusCode === 200)!;
    expect((await refresh(context, tenant, winner.json().refresh_token)).statusCode).toBe(400);
  });
});

describe('PKCE (RFC 7636)', () => {
  const verifier = randomBytes(32).toString('base64url');
  const s256 = createHash('sha256').update(verifier).digest('base64url');

  it('accepts the right S256 verifier', async () => {
    const code = await codeFor({ code_challenge: s256, code_challenge_method: 'S256' });
    expect(
      (await exchangeCode(context, tenant, code, { code_verifier: verifier })).statusCode,
    ).toBe(200);
  });

  it('refuses a wrong or missing S256 verifier', async () => {
    const code = await codeFor({ code_challenge: s256, code_challenge_method: 'S256' });
    const wrong = randomBytes(32).toString('base64url');
    expectError(
      await exchangeCode(context, tenant, code, { code_verifier: wrong }),
      103,
      'invalid_grant',
    );
    expectError(await exchangeCode(context, tenant, code), 103, 'invalid_grant');
    // The plain verifier equal to the challenge is not the S256 verifier.
    expectError(
      await exchangeCode(context, tenant, code, { code_verifier: s256 }),
      103,
      'invalid_grant',
    );
  });

  it('accepts plain challenges (the default method)', async () => {
    const code = await codeFor({ code_challenge: verifier, code_challenge_method: undefined });
    expect(
      (await exchangeCode(context, tenant, code, { code_verifier: verifier })).statusCode,
    ).toBe(200);
  });

  it('refuses a verifier when the authorization request had no challenge', async () => {
    const code = await codeFor();
    const response = await exchangeCode(context, tenant, code, { code_verifier: verifier });
    expectError(response, 103, 'invalid_grant');
    expect(response.json().error_description).toContain('no challenge');
  });
});
