import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { useTestTenant } from '../helpers/app-fixture.js';
import type { Tenant, TestContext } from '../helpers/test-app.js';

let context: TestContext;
let tenant: Tenant;

useTestTenant((given) => {
  ({ context, tenant } = given);
});

function tokenRequest(fields: Record<string, string>, headers: Record<string, string> = {}) {
  return context.app.inject({
    method: 'POST',
    url: '/oauth2/v0/token',
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
}

function passwordFields(overrides: Record<string, string> = {}) {
  return {
    grant_type: 'password',
    client_id: tenant.app.clientId,
    client_secret: tenant.app.clientSecret,
    username: tenant.traveller.loginId,
    password: tenant.traveller.password,
    ...overrides,
  };
}

describe('POST /oauth2/v0/token', () => {
  it('issues an RS256 access token and a refresh token for the password grant', async () => {
    const response = await tokenRequest(passwordFields());
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'openid ITINER' });
    expect(typeof body.refresh_token).toBe('string');
    expect(body.geolocation).toBe('http://localhost:80');
    expect(response.headers['cache-control']).toBe('no-store');
    const claims = decodeJwt(body.access_token);
    expect(claims['https://api.concursolutions.com/scopes']).toEqual(['openid', 'ITINER']);
    expect(claims.exp! - claims.iat!).toBe(3600);
    const header = JSON.parse(Buffer.from(body.access_token.split('.')[0], 'base64url').toString());
    expect(header.alg).toBe('RS256');
  });

  it('accepts the login id in any letter case', async () => {
    const response = await tokenRequest(
      passwordFields({ username: tenant.traveller.loginId.toUpperCase() }),
    );
    expect(response.statusCode).toBe(200);
  });

  it('answers code 5 invalid_grant for a wrong password or an unknown user', async () => {
    for (const fields of [
      passwordFields({ password: 'wrong-password' }),
      passwordFields({ username: 'nobody@example.com' }),
    ]) {
      const response = await tokenRequest(fields);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 5, error: 'invalid_grant' });
    }
  });

  it('answers the documented codes for missing fields and bad clients', async () => {
    const cases: [Record<string, string>, number, number][] = [
      [passwordFields({ grant_type: '' }), 400, 65],
      [passwordFields({ client_id: '' }), 400, 62],
      [passwordFields({ client_secret: '' }), 400, 63],
      [passwordFields({ client_id: 'no-such-client' }), 401, 61],
      [passwordFields({ client_secret: 'wrong-secret-0000000' }), 401, 64],
      [passwordFields({ username: '' }), 400, 51],
      [passwordFields({ password: '' }), 400, 52],
      [passwordFields({ credtype: 'nonsense' }), 400, 120],
      [passwordFields({ scope: 'ITINER EXTRA' }), 400, 54],
    ];
    for (const [fields, status, code] of cases) {
      const response = await tokenRequest(fields);
      expect({ status: response.statusCode, code: response.json().code }).toEqual({ status, code });
    }
  });

  it('issues a company-level token for client_credentials, without a refresh token', async () => {
    const response = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: tenant.app.clientId,
      client_secret: tenant.app.clientSecret,
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.refresh_token).toBeUndefined();
    expect(decodeJwt(body.access_token)['concur.type']).toBe('company');
  });

  it('rotates refresh tokens and revokes the family when a used one comes back', async () => {
    const first = (await tokenRequest(passwordFields())).json();
    const refresh = (token: string) =>
      tokenRequest({
        grant_type: 'refresh_token',
        client_id: tenant.app.clientId,
        client_secret: tenant.app.clientSecret,
        refresh_token: token,
      });
    const second = await refresh(first.refresh_token);
    expect(second.statusCode).toBe(200);
    const rotated = second.json().refresh_token;
    expect(rotated).not.toBe(first.refresh_token);
    const reuse = await refresh(first.refresh_token);
    expect(reuse.json()).toMatchObject({ code: 108, error: 'invalid_grant' });
    // The leak detection revoked the whole family, including the newest token.
    expect((await refresh(rotated)).json()).toMatchObject({ code: 108 });
  });

  it('stores neither secrets nor refresh tokens in clear', async () => {
    const body = (await tokenRequest(passwordFields())).json();
    const db = context.database.db;
    const users = await db.selectFrom('users').select('password_hash').execute();
    const apps = await db.selectFrom('apps').select('client_secret_hash').execute();
    const tokens = await db.selectFrom('refresh_tokens').select('token_hash').execute();
    for (const { password_hash } of users) expect(password_hash).toMatch(/^scrypt\$/);
    for (const { client_secret_hash } of apps)
      expect(client_secret_hash).not.toContain(tenant.app.clientSecret);
    expect(tokens.map((t) => t.token_hash)).not.toContain(body.refresh_token);
  });

  it('answers unsupported_grant_type for otp and other unknown grants', async () => {
    for (const grant of ['otp', 'implicit']) {
      const response = await tokenRequest(passwordFields({ grant_type: grant }));
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: 'unsupported_grant_type', code: 65 });
      expect(response.json().error_description).toContain(grant);
    }
  });

  it('answers JSON errors for a body that is not form-encoded', async () => {
    const response = await context.app.inject({
      method: 'POST',
      url: '/oauth2/v0/token',
      payload: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.json()).toHaveProperty('error');
  });
});

describe('GET /oauth2/v0/jwks', () => {
  it('publishes the public signing key', async () => {
    const response = await context.app.inject({ method: 'GET', url: '/oauth2/v0/jwks' });
    expect(response.statusCode).toBe(200);
    const [key] = response.json().keys;
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(key.d).toBeUndefined();
  });
});

describe('POST /oauth2/v0/token sign-in throttling', () => {
  it('answers 429 with Retry-After after repeated failures for one user, even with the right password', async () => {
    const user = {
      loginId: tenant.otherTraveller.loginId,
      password: tenant.otherTraveller.password,
    };
    const attempt = (password: string) =>
      tokenRequest(passwordFields({ username: user.loginId, password }));
    for (let i = 0; i < 5; i++) expect((await attempt('wrong-password')).statusCode).toBe(400);
    const blocked = await attempt(user.password);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json()).toMatchObject({ error: 'slow_down' });
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Other users of the same client are not affected.
    expect((await tokenRequest(passwordFields())).statusCode).toBe(200);
  });
});
