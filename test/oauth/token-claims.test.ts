/**
 * Access token claims (issue 16): every token Itinera issues carries `exp`, `iat`, `iss` and
 * `aud` (TOKEN_AUDIENCE), and a token signed with the service's own key is refused when it
 * lacks any of them or names another audience or issuer, as every token failing validation is
 * (403 `<Error>`, SPEC §6). Tokens are forged with the stored signing key itself, so the
 * signature is never what refuses them.
 */
import { decodeJwt, importJWK, type JWK, type JWTPayload, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TOKEN_AUDIENCE } from '../../src/modules/oauth/keys/access-token.js';
import { listSigningKeys } from '../../src/modules/oauth/keys/signing-key.repository.js';
import { SecretBox } from '../../src/security/secret-box.js';
import { useTestApp } from '../helpers/app-fixture.js';
import { buildTestApp, seedTenant, type TestContext, tokenFor } from '../helpers/test-app.js';
import { expectError, listTrips } from '../helpers/trip-requests.js';

let context: TestContext;
let token: string;

useTestApp({ config: { tokenIssuer: 'https://itinera.example.com' } }, (given) => {
  ({ context, token } = given);
});

/** Signs `payload` as Itinera does (RS256, a stored key, its kid), with exactly these claims. */
async function forge(on: TestContext, payload: JWTPayload): Promise<string> {
  const secrets = SecretBox.fromConfig(on.config);
  const [stored] = await listSigningKeys(on.database.db);
  if (!stored) throw new Error('no signing key');
  const jwk = JSON.parse(secrets.open(stored.privateJwk, `signing_keys.private_jwk:${stored.kid}`));
  const key = await importJWK(jwk as JWK, 'RS256');
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', kid: stored.kid, typ: 'JWT' })
    .sign(key);
}

/** The claims of the fixture's token, less those named. */
function claimsWithout(...names: string[]): JWTPayload {
  const claims: JWTPayload = { ...decodeJwt(token) };
  for (const name of names) delete claims[name];
  return claims;
}

describe('access token claims', () => {
  it('issues tokens with exp, iat, iss and the configured audience', () => {
    const claims = decodeJwt(token);
    expect(claims.aud).toBe(DEFAULT_TOKEN_AUDIENCE);
    expect(claims.iss).toBe('https://itinera.example.com');
    expect(typeof claims.iat).toBe('number');
    expect(claims.exp).toBe((claims.iat ?? 0) + context.config.accessTokenTtlSeconds);
  });

  it('accepts a token forged with every claim (the forging itself is sound)', async () => {
    const response = await listTrips(context.app, await forge(context, claimsWithout('jti')));
    expect(response.statusCode, response.body).toBe(200);
  });

  it.each([['exp'], ['iat'], ['iss'], ['aud'], ['sub']])(
    'refuses a token signed with our key but without %s',
    async (claim) => {
      const forged = await forge(context, claimsWithout(claim));
      expectError(await listTrips(context.app, forged), 403, /invalid, expired or revoked/);
    },
  );

  it.each([
    ['another audience', { aud: 'someone-else' }],
    ['an id token audience (a client id)', { aud: 'client-123' }],
    ['audiences not naming ours', { aud: ['a', 'b'] }],
    ['another issuer', { iss: 'https://evil.example.com' }],
    ['a lifetime that ended', { exp: Math.floor(Date.now() / 1000) - 60 }],
  ])('refuses a token naming %s', async (_name, change) => {
    const forged = await forge(context, { ...claimsWithout('jti'), ...change });
    expectError(await listTrips(context.app, forged), 403);
  });

  it('accepts our audience among several', async () => {
    const forged = await forge(context, {
      ...claimsWithout('jti'),
      aud: ['other', DEFAULT_TOKEN_AUDIENCE],
    });
    expect((await listTrips(context.app, forged)).statusCode).toBe(200);
  });
});

describe('TOKEN_AUDIENCE', () => {
  it('names the audience tokens are issued for and must carry', async () => {
    const other = await buildTestApp({ tokenAudience: 'urn:acme:itinera' });
    try {
      const tenant = await seedTenant(other);
      const issued = await tokenFor(other, tenant, tenant.traveller);
      expect(decodeJwt(issued).aud).toBe('urn:acme:itinera');
      expect((await listTrips(other.app, issued)).statusCode).toBe(200);
      const { jti: _jti, ...claims } = decodeJwt(issued);
      const defaultAudience = await forge(other, { ...claims, aud: DEFAULT_TOKEN_AUDIENCE });
      expectError(await listTrips(other.app, defaultAudience), 403);
    } finally {
      await other.close();
    }
  });
});
