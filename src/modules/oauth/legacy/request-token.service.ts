/**
 * The pre-2017 web and App Center flows' second step, "Getting an access token"
 * (authorization-pre-2017): `GetAccessToken.ashx?code=&client_id=&client_secret=` exchanges a
 * request token (a code issued by `Login.aspx`) for a year-long access token and a refresh
 * token, like the native flow's. A code is used once, lives minutes, and only the app it was
 * issued to, proving its secret, may redeem it; when it comes back after use, the sign-in it
 * opened is revoked (RFC 6749 §4.1.2), as on the v0 token endpoint.
 */
import { digestToken } from '../../../security/secret-hash.js';
import { findUserById } from '../../accounts/index.js';
import {
  findAuthorizationCode,
  markAuthorizationCodeUsed,
} from '../grants/authorization-code.repository.js';
import type { GrantContext } from '../grants/grant-context.js';
import { insertRefreshToken, revokeRefreshFamily } from '../tokens/refresh-token.repository.js';
import {
  LEGACY_TOKEN_TTL_SECONDS,
  type LegacyToken,
  legacyErrors,
  SESSION_PREFIX,
} from './legacy-session.js';

/** Exchanges a `Login.aspx` code; throws Concur-shaped errors (400, 401, 403, 429). */
export async function exchangeRequestToken(
  context: GrantContext,
  parameters: Record<string, string>,
  requestBaseUrl: string,
): Promise<LegacyToken> {
  const { db, signIn, issuer } = context;
  const requestToken = parameters.code;
  if (!requestToken) throw legacyErrors.parameterMissing('code');
  // The secret first (constant-time, throttled): nothing about a code is told to a stranger.
  const app = await signIn.authenticateClient(parameters.client_id, parameters.client_secret);
  const code = await findAuthorizationCode(db, digestToken(requestToken));
  // v0 codes are bound to a redirect URI and maybe a PKCE verifier, which this exchange has not.
  if (code?.flow !== 'net2') throw legacyErrors.codeInvalid();
  if (code.app_id !== app.id) throw legacyErrors.codeNotYours();
  const familyId = `${SESSION_PREFIX}${code.id}`;
  const now = Date.now();
  if (code.used_at !== null) {
    await revokeRefreshFamily(db, familyId, now);
    throw legacyErrors.codeInvalid();
  }
  if (code.expires_at <= now) throw legacyErrors.codeInvalid();

  const user = await findUserById(db, code.user_id);
  if (!user?.active) throw legacyErrors.userDisabled();
  await signIn.requireConnected(app, user.company_id);
  const geolocation = await signIn.companyGeolocation(user.company_id, requestBaseUrl);
  const scopes = code.scope.split(' ');
  const refresh = issuer.newRefreshToken(
    app,
    { familyId, companyId: user.company_id, userId: user.id },
    scopes,
    LEGACY_TOKEN_TTL_SECONDS,
  );
  // Signed before the transaction, so that the write lock is held only for two statements.
  const access = await issuer.mintSessionAccess(
    app,
    user,
    scopes,
    familyId,
    { geolocation, requestBaseUrl },
    LEGACY_TOKEN_TTL_SECONDS,
  );
  const won = await db.transaction().execute(async (trx) => {
    if (!(await markAuthorizationCodeUsed(trx, code.id, now))) return false;
    await insertRefreshToken(trx, refresh.row);
    return true;
  });
  if (!won) {
    // A concurrent exchange used it first: a copy of the code is around.
    await revokeRefreshFamily(db, familyId, Date.now());
    throw legacyErrors.codeInvalid();
  }
  return {
    instanceUrl: geolocation,
    token: access.accessToken,
    expiresAt: access.expiresAt,
    refreshToken: refresh.token,
  };
}
