/**
 * The OAuth 2.0 token endpoint's rules (NOTES §2.10): password, client_credentials and
 * refresh_token grants, Concur's numeric error codes, RS256 access tokens and rotating,
 * hashed refresh tokens.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AppRow, Database } from '../../db/database.js';
import type { Regions } from '../../http/regions.js';
import { findUserById, findUserByLoginId, regionsOfCompanies } from '../users/user.repository.js';
import { APP_CLAIM, SCOPES_CLAIM, type TokenKeys } from './access-token.js';
import { companyIdsOfApp, findAppByClientId } from './app.repository.js';
import { oauthErrors as err } from './oauth-errors.js';
import {
  findRefreshToken,
  insertRefreshToken,
  markRefreshTokenUsed,
  revokeRefreshFamily,
} from './refresh-token.repository.js';
import { DUMMY_HASH, digestToken, randomToken, verifySecret } from './secret-hash.js';
import { SignInThrottle } from './sign-in-throttle.js';

export interface TokenRequest {
  grant_type?: string;
  client_id?: string;
  client_secret?: string;
  username?: string;
  password?: string;
  credtype?: string;
  refresh_token?: string;
  scope?: string;
}

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

export interface TokenServiceOptions {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  regions: Regions;
}

/** Issues tokens for the grants Itinera supports. */
export class TokenService {
  /** Failed sign-ins per user: a few, then pauses. */
  private readonly userThrottle = new SignInThrottle();
  // A client signs in many users; its budget is larger, so that a handful of users mistyping
  // (or an attacker) cannot lock a whole TMC out, while mass guessing through it still slows.
  private readonly clientThrottle = new SignInThrottle({ freeFailures: 100 });

  constructor(
    private readonly db: Kysely<Database>,
    private readonly keys: TokenKeys,
    private readonly options: TokenServiceOptions,
  ) {}

  private checkThrottle(throttle: SignInThrottle, key: string): void {
    const wait = throttle.retryAfterMs(key);
    if (wait > 0) throw err.throttled(wait);
  }

  /** Handles one token request; throws OAuthError with Concur's codes on failure. */
  async issue(request: TokenRequest, requestBaseUrl: string): Promise<TokenResponse> {
    if (!request.grant_type) throw err.grantMissing();
    const app = await this.authenticateClient(request);
    switch (request.grant_type) {
      case 'password':
        return this.passwordGrant(app, request, requestBaseUrl);
      case 'client_credentials':
        return this.clientCredentialsGrant(app, request, requestBaseUrl);
      case 'refresh_token':
        return this.refreshGrant(app, request, requestBaseUrl);
      default:
        throw err.grantUnsupported(request.grant_type);
    }
  }

  private async authenticateClient(request: TokenRequest): Promise<AppRow> {
    if (!request.client_id) throw err.clientIdMissing();
    if (!request.client_secret) throw err.clientSecretMissing();
    const clientKey = request.client_id;
    this.checkThrottle(this.clientThrottle, clientKey);
    const app = await findAppByClientId(this.db, request.client_id);
    // Hash even for an unknown client so that response time does not reveal which ids exist.
    const ok = await verifySecret(request.client_secret, app?.client_secret_hash ?? DUMMY_HASH);
    if (!app || !ok) this.clientThrottle.recordFailure(clientKey);
    if (!app) throw err.clientNotFound();
    if (!ok) throw err.clientBadSecret();
    if (!app.active) throw err.clientDisabled();
    return app;
  }

  private grantedScopes(app: AppRow, requested: string | undefined): string[] {
    const granted = JSON.parse(app.scopes) as string[];
    if (!requested?.trim()) return granted;
    const wanted = requested.trim().split(/\s+/);
    if (wanted.some((s) => !granted.includes(s))) throw err.scopeExceeded();
    return wanted;
  }

  /**
   * The geolocation of a user's company region; a user of a region this instance does not
   * serve gets code 16 naming where to go (NOTES §2.9, §2.10).
   */
  private async userGeolocation(companyId: string, requestBaseUrl: string): Promise<string> {
    const region = (await regionsOfCompanies(this.db, [companyId])).get(companyId) ?? '';
    const geolocation = this.options.regions.geolocationOf(region, requestBaseUrl);
    if (!this.options.regions.serves(region)) throw err.elsewhere(geolocation);
    return geolocation;
  }

  private async passwordGrant(app: AppRow, request: TokenRequest, requestBaseUrl: string) {
    if (request.credtype && request.credtype !== 'password') throw err.credtypeInvalid();
    if (!request.username) throw err.usernameMissing();
    if (!request.password) throw err.passwordMissing();
    const userKey = request.username.trim().toLowerCase();
    this.checkThrottle(this.userThrottle, userKey);
    const user = await findUserByLoginId(this.db, request.username);
    const ok = await verifySecret(request.password, user?.password_hash ?? DUMMY_HASH);
    if (!user?.password_hash || !ok) {
      // Both the user and the client count: guessing many users through one client slows too.
      this.userThrottle.recordFailure(userKey);
      this.clientThrottle.recordFailure(app.client_id);
      throw err.badCredentials();
    }
    this.userThrottle.recordSuccess(userKey);
    if (!user.active) throw err.principalDisabled();
    const companies = await companyIdsOfApp(this.db, app.id);
    if (!companies.includes(user.company_id)) throw err.companyNotEnabled();
    const geolocation = await this.userGeolocation(user.company_id, requestBaseUrl);
    const scopes = this.grantedScopes(app, request.scope);
    return this.userTokens(app, user.id, user.company_id, scopes, randomUUID(), geolocation);
  }

  private async clientCredentialsGrant(app: AppRow, request: TokenRequest, requestBaseUrl: string) {
    const connected = await companyIdsOfApp(this.db, app.id);
    if (connected.length === 0) throw err.companyNotEnabled();
    // The token reaches the connected companies of the regions this instance serves.
    const regions = await regionsOfCompanies(this.db, connected);
    const companies = connected.filter((id) => this.options.regions.serves(regions.get(id) ?? ''));
    const firstRegion = regions.get(companies[0] ?? connected[0] ?? '') ?? '';
    const geolocation = this.options.regions.geolocationOf(firstRegion, requestBaseUrl);
    if (companies.length === 0) throw err.elsewhere(geolocation);
    const scopes = this.grantedScopes(app, request.scope);
    const accessToken = await this.keys.sign(
      {
        sub: app.id,
        'concur.type': 'company',
        [APP_CLAIM]: app.id,
        [SCOPES_CLAIM]: scopes,
        companies,
      },
      this.options.accessTokenTtlSeconds,
    );
    return {
      access_token: accessToken,
      token_type: 'Bearer' as const,
      expires_in: this.options.accessTokenTtlSeconds,
      scope: scopes.join(' '),
      geolocation,
    };
  }

  private async refreshGrant(app: AppRow, request: TokenRequest, requestBaseUrl: string) {
    if (!request.refresh_token) throw err.refreshMissing();
    const now = Date.now();
    const stored = await findRefreshToken(this.db, digestToken(request.refresh_token));
    if (
      !stored ||
      stored.app_id !== app.id ||
      stored.revoked_at !== null ||
      stored.expires_at <= now
    ) {
      throw err.refreshInvalid();
    }
    if (stored.used_at !== null || !(await markRefreshTokenUsed(this.db, stored.id, now))) {
      // A rotated token came back: someone holds a copy. Cut off the whole sign-in.
      await revokeRefreshFamily(this.db, stored.family_id, now);
      throw err.refreshInvalid();
    }
    if (!stored.user_id) throw err.refreshInvalid();
    const user = await findUserById(this.db, stored.user_id);
    if (!user?.active) throw err.principalDisabled();
    const companies = await companyIdsOfApp(this.db, app.id);
    if (!companies.includes(user.company_id)) throw err.companyNotEnabled();
    const storedScopes = stored.scope.split(' ');
    const scopes = request.scope?.trim() ? request.scope.trim().split(/\s+/) : storedScopes;
    if (scopes.some((s) => !storedScopes.includes(s))) throw err.scopeExceeded();
    const geolocation = await this.userGeolocation(user.company_id, requestBaseUrl);
    return this.userTokens(app, user.id, user.company_id, scopes, stored.family_id, geolocation);
  }

  private async userTokens(
    app: AppRow,
    userId: string,
    companyId: string,
    scopes: string[],
    familyId: string,
    geolocation: string,
  ): Promise<TokenResponse> {
    const accessToken = await this.keys.sign(
      {
        sub: userId,
        'concur.type': 'user',
        useruuid: userId,
        [APP_CLAIM]: app.id,
        [SCOPES_CLAIM]: scopes,
      },
      this.options.accessTokenTtlSeconds,
    );
    const refreshToken = randomToken();
    const now = Date.now();
    const expiresAt = now + this.options.refreshTokenTtlSeconds * 1000;
    await insertRefreshToken(this.db, {
      id: randomUUID(),
      tokenHash: digestToken(refreshToken),
      familyId,
      appId: app.id,
      companyId,
      userId,
      scope: scopes.join(' '),
      expiresAt,
      createdAt: now,
    });
    const response: TokenResponse = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.options.accessTokenTtlSeconds,
      scope: scopes.join(' '),
      refresh_token: refreshToken,
      refresh_expires_in: Math.floor(expiresAt / 1000),
      geolocation,
    };
    if (scopes.includes('openid')) {
      response.id_token = await this.idToken(app, userId, accessToken, geolocation);
    }
    return response;
  }

  /** The OpenID Connect id token of a user sign-in (claims as Concur's, NOTES §2.10). */
  private idToken(app: AppRow, userId: string, accessToken: string, geolocation: string) {
    // at_hash: the left half of the SHA-256 of the access token (OIDC Core §3.1.3.6).
    const digest = createHash('sha256').update(accessToken).digest();
    return this.keys.signJwt(
      {
        sub: userId,
        aud: app.client_id,
        at_hash: digest.subarray(0, digest.length / 2).toString('base64url'),
        'concur.type': 'user',
        'concur.version': 3,
        'concur.profile': `${geolocation}/profile/identity/v4/Users/${userId}`,
      },
      this.options.accessTokenTtlSeconds,
    );
  }
}
