/**
 * Access tokens: RS256 JWTs signed with the newest key from the database (created on first
 * start), verified against every stored key so that a rotation never breaks live tokens.
 */
import { randomUUID } from 'node:crypto';
import {
  type CryptoKey,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { insertSigningKey, listSigningKeys } from './signing-key.repository.js';

export const APP_CLAIM = 'https://api.concursolutions.com/app';
export const SCOPES_CLAIM = 'https://api.concursolutions.com/scopes';

export interface AccessTokenClaims extends JWTPayload {
  sub: string;
  /** `user` for a traveller/admin token, `company` for an app's company-level token. */
  'concur.type': 'user' | 'company';
  [APP_CLAIM]: string;
  [SCOPES_CLAIM]: string[];
  useruuid?: string;
  companies?: string[];
}

interface LoadedKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

/** Signs and verifies access tokens with the keys stored in the database. */
export class TokenKeys {
  private constructor(
    private keys: LoadedKey[],
    private readonly issuer: string,
  ) {}

  /** Loads the keys, creating the first one when the database has none. */
  static async load(db: Kysely<Database>, issuer: string): Promise<TokenKeys> {
    let stored = await listSigningKeys(db);
    if (stored.length === 0) {
      const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
      const kid = randomUUID();
      await insertSigningKey(db, {
        kid,
        privateJwk: JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: 'RS256' }),
        publicJwk: JSON.stringify({
          ...(await exportJWK(publicKey)),
          kid,
          alg: 'RS256',
          use: 'sig',
        }),
        createdAt: Date.now(),
      });
      // Another process may have raced us; everyone then signs with the newest row.
      stored = await listSigningKeys(db);
    }
    const keys: LoadedKey[] = [];
    for (const key of stored) {
      const publicJwk = JSON.parse(key.publicJwk) as JWK;
      keys.push({
        kid: key.kid,
        privateKey: (await importJWK(JSON.parse(key.privateJwk) as JWK, 'RS256')) as CryptoKey,
        publicKey: (await importJWK(publicJwk, 'RS256')) as CryptoKey,
        publicJwk,
      });
    }
    return new TokenKeys(keys, issuer);
  }

  /** The public keys as a JWKS document. */
  jwks(): { keys: JWK[] } {
    return { keys: this.keys.map((k) => k.publicJwk) };
  }

  /** Signs an access token valid for `ttlSeconds`. */
  async sign(
    claims: Omit<AccessTokenClaims, 'iss' | 'iat' | 'exp' | 'nbf' | 'jti'>,
    ttlSeconds: number,
  ) {
    const key = this.keys[0];
    if (!key) throw new Error('no signing key loaded');
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + ttlSeconds)
      .setJti(randomUUID())
      .sign(key.privateKey);
  }

  /** Verifies signature, issuer and lifetime; throws when the token is not valid. */
  async verify(token: string): Promise<AccessTokenClaims> {
    const { kid } = decodeProtectedHeader(token);
    const key = this.keys.find((k) => k.kid === kid);
    if (!key) throw new Error('unknown signing key');
    const { payload } = await jwtVerify(token, key.publicKey, {
      issuer: this.issuer,
      algorithms: ['RS256'],
    });
    if (typeof payload.sub !== 'string' || !Array.isArray(payload[SCOPES_CLAIM])) {
      throw new Error('token lacks required claims');
    }
    return payload as AccessTokenClaims;
  }
}
