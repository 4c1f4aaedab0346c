/**
 * Mints the token endpoint's answers: RS256 access tokens, OpenID Connect id tokens and
 * opaque refresh tokens (stored as digests). Minting and storing are separate steps so that a
 * grant can store the refresh token in the same transaction as its own bookkeeping (an
 * authorization code marked used).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { AppRow, Executor } from '../../../db/database.js';
import { digestToken, randomToken } from '../../../security/secret-hash.js';
import { APP_CLAIM, SCOPES_CLAIM, type TokenKeys } from '../keys/access-token.js';
import { insertRefreshToken, type NewRefreshToken } from './refresh-token.repository.js';

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
  refresh_expires_in?: number;
  id_token?: string;
  geolocation: string;
}

/** A token answer, and the refresh token row still to be stored (if any). */
export interface MintedTokens {
  response: TokenResponse;
  refresh?: NewRefreshToken;
}

export interface TokenIssuerOptions {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
}

/** Where tokens are issued: the user's region's base URL and the URL the request came through. */
export interface IssuedAt {
  geolocation: string;
  requestBaseUrl: string;
}

/** Who a company-level token is for. */
export interface CompanyGrant {
  /** `sub` of the token: the app (client_credentials) or the company (authtoken). */
  subject: string;
  companies: string[];
  /** With a refresh token (authtoken sign-ins): its family and company. */
  refresh?: { familyId: string; companyId: string };
}

export class TokenIssuer {
  constructor(
    private readonly keys: TokenKeys,
    private readonly options: TokenIssuerOptions,
  ) {}

  /**
   * A user's tokens: access, refresh (in `familyId`), and an id token for `openid`. Their `iss`
   * is the configured issuer, else `requestBaseUrl` (the URL the token request came through).
   */
  async mintUser(
    app: AppRow,
    user: { id: string; companyId: string },
    scopes: string[],
    familyId: string,
    where: IssuedAt,
  ): Promise<MintedTokens> {
    const { geolocation, requestBaseUrl } = where;
    const accessToken = await this.keys.sign(
      {
        sub: user.id,
        'concur.type': 'user',
        useruuid: user.id,
        [APP_CLAIM]: app.id,
        [SCOPES_CLAIM]: scopes,
      },
      this.options.accessTokenTtlSeconds,
      requestBaseUrl,
    );
    const minted = this.withRefresh(
      this.accessResponse(accessToken, scopes, geolocation),
      app,
      { familyId, companyId: user.companyId, userId: user.id },
      scopes,
    );
    if (scopes.includes('openid')) {
      minted.response.id_token = await this.idToken(app, accessToken, requestBaseUrl, {
        sub: user.id,
        'concur.type': 'user',
        'concur.profile': `${geolocation}/profile/identity/v4/Users/${user.id}`,
      });
    }
    return minted;
  }

  /** A company-level token (`concur.type` company), with a refresh token when asked. */
  async mintCompany(
    app: AppRow,
    grant: CompanyGrant,
    scopes: string[],
    where: IssuedAt,
  ): Promise<MintedTokens> {
    const { geolocation, requestBaseUrl } = where;
    const accessToken = await this.keys.sign(
      {
        sub: grant.subject,
        'concur.type': 'company',
        [APP_CLAIM]: app.id,
        [SCOPES_CLAIM]: scopes,
        companies: grant.companies,
      },
      this.options.accessTokenTtlSeconds,
      requestBaseUrl,
    );
    const response = this.accessResponse(accessToken, scopes, geolocation);
    if (!grant.refresh) return { response };
    const minted = this.withRefresh(response, app, { ...grant.refresh, userId: null }, scopes);
    if (scopes.includes('openid')) {
      minted.response.id_token = await this.idToken(app, accessToken, requestBaseUrl, {
        sub: grant.refresh.companyId,
        'concur.type': 'company',
      });
    }
    return minted;
  }

  /**
   * A pre-2017 (`/net2/oauth2`) access token: a user token like `mintUser`'s but living
   * `ttlSeconds` (Concur: a year) and bound to its sign-in by `sid`, so that revoking the sign-in's
   * refresh tokens ends it too (the bearer authenticator checks). Returns the token and its
   * expiry (ms since the epoch).
   */
  async mintSessionAccess(
    app: AppRow,
    user: { id: string },
    scopes: string[],
    sessionId: string,
    where: IssuedAt,
    ttlSeconds: number,
  ): Promise<{ accessToken: string; expiresAt: number }> {
    const issuedAt = Math.floor(Date.now() / 1000);
    const accessToken = await this.keys.sign(
      {
        sub: user.id,
        'concur.type': 'user',
        useruuid: user.id,
        sid: sessionId,
        [APP_CLAIM]: app.id,
        [SCOPES_CLAIM]: scopes,
      },
      ttlSeconds,
      where.requestBaseUrl,
    );
    return { accessToken, expiresAt: (issuedAt + ttlSeconds) * 1000 };
  }

  /**
   * A new refresh token of `owner`'s sign-in (family) living `ttlSeconds`, and its row to store;
   * for sign-ins that answer no `TokenResponse` (the pre-2017 endpoints).
   */
  newRefreshToken(
    app: AppRow,
    owner: { familyId: string; companyId: string; userId: string },
    scopes: string[],
    ttlSeconds: number,
  ): { token: string; row: NewRefreshToken } {
    const token = randomToken();
    const now = Date.now();
    const row = {
      id: randomUUID(),
      tokenHash: digestToken(token),
      familyId: owner.familyId,
      appId: app.id,
      companyId: owner.companyId,
      userId: owner.userId,
      scope: scopes.join(' '),
      expiresAt: now + ttlSeconds * 1000,
      createdAt: now,
    };
    return { token, row };
  }

  /** Stores the refresh token of minted tokens and returns the answer. */
  async store(db: Executor, minted: MintedTokens): Promise<TokenResponse> {
    if (minted.refresh) await insertRefreshToken(db, minted.refresh);
    return minted.response;
  }

  private accessResponse(accessToken: string, scopes: string[], geolocation: string) {
    return {
      access_token: accessToken,
      token_type: 'Bearer' as const,
      expires_in: this.options.accessTokenTtlSeconds,
      scope: scopes.join(' '),
      geolocation,
    };
  }

  private withRefresh(
    response: TokenResponse,
    app: AppRow,
    owner: { familyId: string; companyId: string; userId: string | null },
    scopes: string[],
  ): MintedTokens {
    const refreshToken = randomToken();
    const now = Date.now();
    const expiresAt = now + this.options.refreshTokenTtlSeconds * 1000;
    return {
      response: {
        ...response,
        refresh_token: refreshToken,
        refresh_expires_in: Math.floor(expiresAt / 1000),
      },
      refresh: {
        id: randomUUID(),
        tokenHash: digestToken(refreshToken),
        familyId: owner.familyId,
        appId: app.id,
        companyId: owner.companyId,
        userId: owner.userId,
        scope: scopes.join(' '),
        expiresAt,
        createdAt: now,
      },
    };
  }

  /** The OpenID Connect id token of a sign-in (claims as Concur's, SPEC §2.10). */
  private idToken(
    app: AppRow,
    accessToken: string,
    requestBaseUrl: string,
    claims: Record<string, string>,
  ) {
    // at_hash: the left half of the SHA-256 of the access token (OIDC Core §3.1.3.6).
    const digest = createHash('sha256').update(accessToken).digest();
    return this.keys.signJwt(
      {
        ...claims,
        aud: app.client_id,
        at_hash: digest.subarray(0, digest.length / 2).toString('base64url'),
        'concur.version': 3,
      },
      this.options.accessTokenTtlSeconds,
      requestBaseUrl,
    );
  }
}
