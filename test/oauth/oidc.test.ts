import { createHash } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { createSigningKey, TokenKeys } from '../../src/modules/oauth/keys/access-token.js';
import { SecretBox } from '../../src/security/secret-box.js';
import { useTestTenant } from '../helpers/app-fixture.js';
import { passwordGrant, type Tenant, type TestContext } from '../helpers/test-app.js';

let context: TestContext;
let tenant: Tenant;

useTestTenant((given) => {
  ({ context, tenant } = given);
});

async function signIn() {
  const response = await passwordGrant(context, tenant, tenant.traveller);
  expect(response.statusCode).toBe(200);
  return response.json() as { access_token: string; refresh_token: string; id_token: string };
}

async function jwks() {
  return createLocalJWKSet((await context.app.inject('/oauth2/v0/jwks')).json());
}

describe('OpenID Connect', () => {
  it('publishes a discovery document pointing at the token endpoint and the JWKS', async () => {
    const response = await context.app.inject('/.well-known/openid-configuration');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      // No TOKEN_ISSUER or PUBLIC_BASE_URL in tests: the issuer is the request's base URL.
      issuer: 'http://localhost:80',
      token_endpoint: 'http://localhost:80/oauth2/v0/token',
      jwks_uri: 'http://localhost:80/oauth2/v0/jwks',
      authorization_endpoint: 'http://localhost:80/oauth2/v0/authorize',
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256', 'plain'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
    expect(response.json().grant_types_supported).toEqual(
      expect.arrayContaining(['authorization_code', 'password', 'refresh_token']),
    );
  });

  it('issues an id token for the openid scope, verifiable with the JWKS', async () => {
    const tokens = await signIn();
    const { payload } = await jwtVerify(tokens.id_token, await jwks(), {
      issuer: 'http://localhost:80',
      audience: tenant.app.clientId,
    });
    const digest = createHash('sha256').update(tokens.access_token).digest();
    expect(payload.at_hash).toBe(digest.subarray(0, 16).toString('base64url'));
    expect(payload['concur.type']).toBe('user');
    expect(typeof payload.sub).toBe('string');
  });
});

describe('DELETE /app-mgmt/v0/connections', () => {
  it('revokes the user refresh tokens for the app', async () => {
    const tokens = await signIn();
    const revoke = await context.app.inject({
      method: 'DELETE',
      url: '/app-mgmt/v0/connections',
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(revoke.statusCode).toBe(204);
    const refresh = await context.app.inject({
      method: 'POST',
      url: '/oauth2/v0/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: tenant.app.clientId,
        client_secret: tenant.app.clientSecret,
        refresh_token: tokens.refresh_token,
      }).toString(),
    });
    expect(refresh.json()).toMatchObject({ code: 108 });
  });

  it('returns 401 without a token', async () => {
    const response = await context.app.inject({
      method: 'DELETE',
      url: '/app-mgmt/v0/connections',
    });
    expect(response.statusCode).toBe(401);
  });
});

describe('signing key rotation', () => {
  it('keeps old tokens valid and accepts tokens signed with a key added by another process', async () => {
    const before = await signIn();
    const oldKid = decodeProtectedHeader(before.access_token).kid;
    const newKid = await createSigningKey(
      context.database.db,
      SecretBox.fromConfig(context.config),
    );
    // Another process loads the keys after the rotation and signs with the newest.
    const other = await TokenKeys.load(
      context.database.db,
      undefined,
      SecretBox.fromConfig(context.config),
    );
    const fromOther = await other.sign(
      {
        sub: 'a-user-of-the-other-process',
        'concur.type': 'user',
        'https://api.concursolutions.com/app': 'x',
        'https://api.concursolutions.com/scopes': ['ITINER'],
      },
      60,
      'http://localhost:80',
    );
    expect(decodeProtectedHeader(fromOther).kid).toBe(newKid);
    // Our app re-reads the keys at once for an unknown kid (instances starting together each
    // create a key and must accept each other's tokens right away).
    const keys = context.app.tokenKeys;
    await expect(keys.verify(fromOther)).resolves.toMatchObject({ 'concur.type': 'user' });
    await expect(keys.verify(before.access_token)).resolves.toBeDefined();
    expect(keys.jwks().keys.map((k) => k.kid)).toEqual(expect.arrayContaining([oldKid, newKid]));
  });

  it('re-reads the keys for unknown kids at most every few seconds', async () => {
    const keys = await TokenKeys.load(
      context.database.db,
      undefined,
      SecretBox.fromConfig(context.config),
    );
    const first = await keys.sign(
      {
        sub: 'someone',
        'concur.type': 'user',
        'https://api.concursolutions.com/app': 'x',
        'https://api.concursolutions.com/scopes': ['ITINER'],
      },
      60,
      'http://localhost:80',
    );
    // A token naming a key nobody has: the first one reloads, the next ones do not.
    const [header, payload, signature] = first.split('.') as [string, string, string];
    const forged = (kid: string) => {
      const decoded = JSON.parse(Buffer.from(header, 'base64url').toString()) as object;
      const fake = Buffer.from(JSON.stringify({ ...decoded, kid })).toString('base64url');
      return `${fake}.${payload}.${signature}`;
    };
    await expect(keys.verify(forged('nobody-1'))).rejects.toThrow();
    // A key created now is not seen by the next unknown-kid lookup, within the pause.
    const later = await createSigningKey(context.database.db, SecretBox.fromConfig(context.config));
    await expect(keys.verify(forged(later))).rejects.toThrow();
    expect(keys.jwks().keys.map((k) => k.kid)).not.toContain(later);
    const now = Date.now();
    const clock = vi.spyOn(Date, 'now').mockReturnValue(now + 10_000);
    try {
      // After the pause a lookup reloads again; the forged signature still fails, but the
      // key is now known.
      await expect(keys.verify(forged(later))).rejects.toThrow();
      expect(keys.jwks().keys.map((k) => k.kid)).toContain(later);
    } finally {
      clock.mockRestore();
    }
  });
});
