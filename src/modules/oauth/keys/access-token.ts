/**
 * Access tokens: RS256 JWTs signed with the newest key from the database (created on first
 * start), verified against every stored key so that a rotation never breaks live tokens.
 * Every access token carries `exp`, `iat`, `iss` and `aud` (TOKEN_AUDIENCE), and verification
 * requires them (issue 16): a token signed with our key but without a lifetime would never
 * expire, and the audience keeps the other JWTs our keys sign (OpenID id tokens, whose `aud` is
 * the client id) from passing for access tokens.
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
import type { Database } from '../../../db/database.js';
import type { SecretBox } from '../../../security/secret-box.js';
import { insertSigningKey, listSigningKeys } from './signing-key.repository.js';

export const APP_CLAIM = 'https://api.concursolutions.com/app';
export const SCOPES_CLAIM = 'https://api.concursolutions.com/scopes';

/** The `aud` of access tokens when TOKEN_AUDIENCE is not set. */
export const DEFAULT_TOKEN_AUDIENCE = 'itinera';

/** Claims an access token must carry to be accepted. */
const REQUIRED_CLAIMS = ['exp', 'iat', 'iss', 'aud', 'sub'];

export interface AccessTokenClaims extends JWTPayload {
  sub: string;
  /** `user` for a traveller/admin token, `company` for an app's company-level token. */
  'concur.type': 'user' | 'company';
  [APP_CLAIM]: string;
  [SCOPES_CLAIM]: string[];
  useruuid?: string;
  companies?: string[];
  /**
   * The sign-in (refresh token family) a pre-2017 long-lived token belongs to: the token is
   * valid only while that sign-in is not revoked.
   */
  sid?: string;
}

interface LoadedKey {
  kid: string;
  /** Absent for a key sealed with a SECRETS_KEY this process lacks: it only verifies. */
  privateKey?: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

/** What a private JWK is bound to when sealed at rest: its table, column and key id. */
export function privateJwkPurpose(kid: string): string {
  return `signing_keys.private_jwk:${kid}`;
}

/**
 * Creates a new RS256 signing key and stores it, its private part sealed with SECRETS_KEY when
 * one is set; the newest key signs from then on.
 */
export async function createSigningKey(db: Kysely<Database>, secrets: SecretBox): Promise<string> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  const privateJwk = JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: 'RS256' });
  await insertSigningKey(db, {
    kid,
    privateJwk: secrets.seal(privateJwk, privateJwkPurpose(kid)),
    publicJwk: JSON.stringify({ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }),
    createdAt: Date.now(),
  });
  return kid;
}

// Another process may rotate keys: a token with an unknown kid makes us re-read them (at most
// this often), and signing re-reads them once this old, so that every process signs with the
// newest key within minutes while older keys keep verifying the tokens they signed.
const UNKNOWN_KID_RELOAD_MS = 5_000;
const SIGNING_KEY_MAX_AGE_MS = 5 * 60_000;

// Private parts are decrypted here, at load and reload only: requests use the imported keys.
// At start every key must open (prepareTokenKeys). On a reload, another process may have
// re-encrypted the rows under a SECRETS_KEY this one does not have yet (a rolling rotation): a
// key already loaded is kept, and a new one it cannot open only verifies.
async function loadKeys(
  db: Kysely<Database>,
  secrets: SecretBox,
  loaded: readonly LoadedKey[] = [],
): Promise<LoadedKey[]> {
  const keys: LoadedKey[] = [];
  for (const key of await listSigningKeys(db)) {
    const publicJwk = JSON.parse(key.publicJwk) as JWK;
    const privateJwk = secrets.canOpen(key.privateJwk)
      ? secrets.open(key.privateJwk, privateJwkPurpose(key.kid))
      : undefined;
    keys.push({
      kid: key.kid,
      privateKey: privateJwk
        ? ((await importJWK(JSON.parse(privateJwk) as JWK, 'RS256')) as CryptoKey)
        : loaded.find((k) => k.kid === key.kid)?.privateKey,
      publicKey: (await importJWK(publicJwk, 'RS256')) as CryptoKey,
      publicJwk,
    });
  }
  return keys;
}

/** Signs and verifies tokens with the keys stored in the database. */
export class TokenKeys {
  private loadedAt = Date.now();
  /**
   * When a token with an unknown key last made us reload. Starts at 0: another instance may
   * have created its key while we started, and its first token must not wait for a timer.
   */
  private unknownKidReloadAt = 0;

  private constructor(
    private readonly db: Kysely<Database>,
    private keys: LoadedKey[],
    private readonly issuer: string | undefined,
    private readonly secrets: SecretBox,
    private readonly audience: string,
  ) {}

  /**
   * Loads the keys, creating the first one when the database has none. Call through
   * `prepareTokenKeys` (keys-at-rest.ts), which first checks that every key can be decrypted.
   * `issuer`: the configured `iss`; without one each token names the base URL its request
   * came through. `audience`: the `aud` access tokens are issued for and must name.
   */
  static async load(
    db: Kysely<Database>,
    issuer: string | undefined,
    secrets: SecretBox,
    audience: string = DEFAULT_TOKEN_AUDIENCE,
  ): Promise<TokenKeys> {
    if ((await listSigningKeys(db)).length === 0) await createSigningKey(db, secrets);
    // Another process may have raced us; everyone then signs with the newest row.
    return new TokenKeys(db, await loadKeys(db, secrets), issuer, secrets, audience);
  }

  /** The `iss` of tokens issued through `requestBaseUrl`: the configured issuer, else that URL. */
  issuerFor(requestBaseUrl: string): string {
    return this.issuer ?? requestBaseUrl;
  }

  private async reload(): Promise<void> {
    this.keys = await loadKeys(this.db, this.secrets, this.keys);
    this.loadedAt = Date.now();
  }

  /** The public keys as a JWKS document. */
  jwks(): { keys: JWK[] } {
    return { keys: this.keys.map((k) => k.publicJwk) };
  }

  /** Signs an access token (for the configured audience) valid for `ttlSeconds`. */
  sign(
    claims: Omit<AccessTokenClaims, 'iss' | 'iat' | 'exp' | 'nbf' | 'jti' | 'aud'>,
    ttlSeconds: number,
    requestBaseUrl: string,
  ): Promise<string> {
    return this.signJwt({ ...claims, aud: this.audience }, ttlSeconds, requestBaseUrl);
  }

  /** Signs any JWT (access or OpenID Connect id token) with the newest key. */
  async signJwt(claims: JWTPayload, ttlSeconds: number, requestBaseUrl: string): Promise<string> {
    if (Date.now() - this.loadedAt > SIGNING_KEY_MAX_AGE_MS) await this.reload();
    const key = this.keys.find((k) => k.privateKey);
    if (!key?.privateKey) throw new Error('no signing key loaded');
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .setIssuer(this.issuerFor(requestBaseUrl))
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + ttlSeconds)
      .setJti(randomUUID())
      .sign(key.privateKey);
  }

  /**
   * Verifies signature, issuer, audience and lifetime; throws when the token is not valid or
   * lacks `exp`, `iat`, `iss`, `aud` or `sub`. A configured issuer must match exactly; without
   * one, tokens name the URL they were issued through, and the signature by one of our keys is
   * what proves them ours.
   */
  async verify(token: string): Promise<AccessTokenClaims> {
    const { kid } = decodeProtectedHeader(token);
    let key = this.keys.find((k) => k.kid === kid);
    // Reloading at most every few seconds keeps forged kids from hammering the database.
    if (!key && Date.now() - this.unknownKidReloadAt > UNKNOWN_KID_RELOAD_MS) {
      this.unknownKidReloadAt = Date.now();
      await this.reload();
      key = this.keys.find((k) => k.kid === kid);
    }
    if (!key) throw new Error('unknown signing key');
    const { payload } = await jwtVerify(token, key.publicKey, {
      ...(this.issuer === undefined ? {} : { issuer: this.issuer }),
      audience: this.audience,
      requiredClaims: REQUIRED_CLAIMS,
      algorithms: ['RS256'],
    });
    if (
      typeof payload.iss !== 'string' ||
      typeof payload.sub !== 'string' ||
      !Array.isArray(payload[SCOPES_CLAIM])
    ) {
      throw new Error('token lacks required claims');
    }
    return payload as AccessTokenClaims;
  }
}
