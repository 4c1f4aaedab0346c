/**
 * Concur's pre-2017 OAuth 2.0 endpoints (`/net2/oauth2/*.ashx`, docs/COMPATIBILITY.md
 * "Pre-2017 OAuth endpoints") on the same machinery as `/oauth2/v0/token`: the sign-in service
 * and its throttles check the password, the token issuer signs the access token (a year long,
 * bound to its sign-in by `sid`) and the refresh token is stored like any other, so that
 * revoking it (here or through `/app-mgmt/v0/connections`) ends the access token too.
 */
import { randomUUID } from 'node:crypto';
import type { AppRow } from '../../../db/database.js';
import { errors, OAuthError } from '../../../errors.js';
import { digestToken } from '../../../security/secret-hash.js';
import {
  findAppByClientId,
  findUserById,
  findUserByLoginId,
  isAdmin,
  type Principal,
  READ_ADMIN_ROLES,
} from '../../accounts/index.js';
import type { GrantContext } from '../grants/grant-context.js';
import type { TokenKeys } from '../keys/access-token.js';
import {
  extendRefreshToken,
  findRefreshToken,
  insertRefreshToken,
  revokeRefreshFamily,
  revokeUserAppTokens,
} from '../tokens/refresh-token.repository.js';
import { grantedScopes } from '../tokens/scopes.js';
import {
  LEGACY_TOKEN_TTL_SECONDS,
  type LegacyToken,
  legacyErrors,
  SESSION_PREFIX,
} from './legacy-session.js';
import { exchangeRequestToken } from './request-token.service.js';

/** Who calls the revoke endpoint (the bearer authenticator's principal). */
export type RevokingCaller = Principal;

/** The user's credentials of an `Authorization: Basic` header. */
export interface BasicCredentials {
  loginId: string;
  password: string;
}

/** A wrong password is an HTTP Basic failure here (401), not the token endpoint's 400. */
function asBasicFailure(error: unknown): unknown {
  if (
    error instanceof OAuthError &&
    error.oauthError === 'invalid_grant' &&
    error.httpStatus === 400
  ) {
    return legacyErrors.badCredentials();
  }
  return error;
}

export class LegacyTokenService {
  constructor(
    private readonly context: GrantContext,
    private readonly keys: TokenKeys,
  ) {}

  /**
   * The native flow: the user's Basic credentials and the app's key (`X-ConsumerKey`, its
   * client id). The doc sends no app secret, so none is asked: the user's password is the
   * credential, checked and throttled as on the token endpoint.
   */
  async native(
    consumerKey: string | undefined,
    credentials: BasicCredentials | undefined,
    requestBaseUrl: string,
  ): Promise<LegacyToken> {
    if (!consumerKey) throw legacyErrors.consumerKeyMissing();
    if (!credentials) throw legacyErrors.credentialsMissing();
    const { db, signIn, issuer } = this.context;
    const app = await findAppByClientId(db, consumerKey);
    if (!app) throw legacyErrors.consumerKeyUnknown();
    if (!app.active) throw errors.unauthorized('The application is disabled.');
    // A client budget of its own (`#net2`): the key is not secret, the password is.
    const user = await signIn
      .authenticateUser(app, credentials.loginId, credentials.password, `${app.client_id}#net2`)
      .catch((error: unknown) => {
        throw asBasicFailure(error);
      });
    const geolocation = await signIn.companyGeolocation(user.company_id, requestBaseUrl);
    const scopes = grantedScopes(app, undefined);
    const familyId = `${SESSION_PREFIX}${randomUUID()}`;
    const refresh = issuer.newRefreshToken(
      app,
      { familyId, companyId: user.company_id, userId: user.id },
      scopes,
      LEGACY_TOKEN_TTL_SECONDS,
    );
    await insertRefreshToken(db, refresh.row);
    const access = await issuer.mintSessionAccess(
      app,
      user,
      scopes,
      familyId,
      { geolocation, requestBaseUrl },
      LEGACY_TOKEN_TTL_SECONDS,
    );
    return {
      instanceUrl: geolocation,
      token: access.accessToken,
      expiresAt: access.expiresAt,
      refreshToken: refresh.token,
    };
  }

  /**
   * `getaccesstoken.ashx?refresh_token&client_id&client_secret`: a new access token of the same
   * sign-in; the refresh token stays (the answer names none) and lives a year from now.
   */
  async refresh(parameters: Record<string, string>, requestBaseUrl: string): Promise<LegacyToken> {
    const refreshToken = parameters.refresh_token;
    if (!refreshToken) throw legacyErrors.parameterMissing('refresh_token');
    const { db, signIn, issuer } = this.context;
    const app = await signIn.authenticateClient(parameters.client_id, parameters.client_secret);
    const stored = await findRefreshToken(db, digestToken(refreshToken));
    const now = Date.now();
    if (
      !stored?.user_id ||
      !stored.family_id.startsWith(SESSION_PREFIX) ||
      stored.app_id !== app.id ||
      stored.revoked_at !== null ||
      stored.used_at !== null ||
      stored.expires_at <= now
    ) {
      throw legacyErrors.refreshInvalid();
    }
    const user = await findUserById(db, stored.user_id);
    if (!user?.active) throw legacyErrors.userDisabled();
    await signIn.requireConnected(app, user.company_id);
    const geolocation = await signIn.companyGeolocation(user.company_id, requestBaseUrl);
    await extendRefreshToken(db, stored.id, now + LEGACY_TOKEN_TTL_SECONDS * 1000);
    const access = await issuer.mintSessionAccess(
      app,
      user,
      stored.scope.split(' '),
      stored.family_id,
      { geolocation, requestBaseUrl },
      LEGACY_TOKEN_TTL_SECONDS,
    );
    return { instanceUrl: geolocation, token: access.accessToken, expiresAt: access.expiresAt };
  }

  /**
   * `getaccesstoken.ashx?code&client_id&client_secret`: the web and App Center flows' request
   * token (a `Login.aspx` code) for an access token and a refresh token.
   */
  exchange(parameters: Record<string, string>, requestBaseUrl: string): Promise<LegacyToken> {
    return exchangeRequestToken(this.context, parameters, requestBaseUrl);
  }

  /**
   * `revoketoken.ashx?token=`: ends the sign-in of a token issued here (its refresh token and
   * every access token of it). A token that no longer verifies has nothing left to revoke.
   */
  async revokeToken(caller: Principal, token: string): Promise<void> {
    let claims: Awaited<ReturnType<TokenKeys['verify']>>;
    try {
      claims = await this.keys.verify(token);
    } catch {
      return;
    }
    if (typeof claims.sid !== 'string' || claims['concur.type'] !== 'user') {
      throw legacyErrors.notRevocable();
    }
    await this.mayRevokeFor(caller, claims.sub);
    await revokeRefreshFamily(this.context.db, claims.sid, Date.now());
  }

  /** `revoketoken.ashx?consumerKey&user=`: every token `user` holds for the app. */
  async revokeUserTokens(caller: Principal, consumerKey: string, loginId: string): Promise<void> {
    const { db } = this.context;
    const app: AppRow | undefined = await findAppByClientId(db, consumerKey);
    if (!app) throw legacyErrors.appUnknown(consumerKey);
    const user = await findUserByLoginId(db, loginId);
    // Whether a login id exists elsewhere is none of the caller's business: an administrator
    // hears "not found" for users outside their companies, anyone else 403.
    if (user?.id !== caller.user?.id || !user) {
      if (!isAdmin(caller, READ_ADMIN_ROLES)) throw legacyErrors.notAllowed();
      if (!user || !caller.companyIds.includes(user.company_id)) {
        throw errors.userNotFound(loginId.slice(0, 128));
      }
    }
    await revokeUserAppTokens(db, user.id, app.id, Date.now());
  }

  /**
   * A user may revoke their own tokens; another user's need an administrator role
   * ("Web Services Administrator" or "Can Administrator", per the doc) in that user's company.
   */
  private async mayRevokeFor(caller: Principal, userId: string): Promise<void> {
    if (caller.user?.id === userId) return;
    const user = await findUserById(this.context.db, userId);
    if (
      !user ||
      !isAdmin(caller, READ_ADMIN_ROLES) ||
      !caller.companyIds.includes(user.company_id)
    ) {
      throw legacyErrors.notAllowed();
    }
  }
}
