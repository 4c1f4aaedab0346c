/**
 * `grant_type=authorization_code` (RFC 6749 §4.1.3, RFC 7636 §4.6, SPEC §2.10 codes
 * 101–105): exchanges a code issued by the authorize page for a user's tokens. A code is used
 * once; when it comes back, the refresh tokens it produced are revoked (RFC 6749 §4.1.2).
 */
import type { AppRow, AuthorizationCodeRow } from '../../../db/database.js';
import { digestToken } from '../../../security/secret-hash.js';
import { findUserById } from '../../accounts/index.js';
import { oauthErrors as err } from '../oauth-errors.js';
import { revokeRefreshFamily } from '../tokens/refresh-token.repository.js';
import type { TokenResponse } from '../tokens/token-issuer.js';
import {
  findAuthorizationCode,
  markAuthorizationCodeUsed,
} from './authorization-code.repository.js';
import type { GrantContext, TokenRequest } from './grant-context.js';
import { verifierMatches } from './pkce.js';

function checkVerifier(
  code: AuthorizationCodeRow,
  verifier: string | undefined,
  requirePkce: boolean,
): void {
  if (code.code_challenge === null) {
    // A public client has no secret: PKCE is what binds the code to the one who asked for it.
    if (requirePkce) throw err.pkceFailed('A public client must send a code challenge.');
    // A verifier here means the client believes it sent a challenge: something is off.
    if (verifier) {
      throw err.pkceFailed(
        'code_verifier was sent but the authorization request had no challenge.',
      );
    }
    return;
  }
  if (!verifier) throw err.pkceFailed('code_verifier is missing.');
  if (!verifierMatches(verifier, code.code_challenge, code.code_challenge_method ?? 'plain')) {
    throw err.pkceFailed('code_verifier does not match the code challenge.');
  }
}

/**
 * Exchanges an authorization code; throws OAuthError 101–105 (and 5x, 16, 123) on failure.
 * `requirePkce`: the client is public (no secret), so a code without a challenge is refused.
 */
export async function authorizationCodeGrant(
  context: GrantContext,
  app: AppRow,
  request: TokenRequest,
  requestBaseUrl: string,
  requirePkce = false,
): Promise<TokenResponse> {
  const { db, signIn, issuer } = context;
  if (!request.code) throw err.codeMissing();
  if (!request.redirect_uri) throw err.redirectUriMissing();
  const code = await findAuthorizationCode(db, digestToken(request.code));
  // A pre-2017 request token (Login.aspx) is redeemed at GetAccessToken.ashx only.
  if (code?.flow !== 'oauth2') throw err.codeInvalid();
  // Another client cannot use the code, nor revoke anything with it.
  if (code.app_id !== app.id) throw err.codeNotYours();
  const now = Date.now();
  // The tokens of a code share its id as their refresh family.
  if (code.used_at !== null) {
    await revokeRefreshFamily(db, code.id, now);
    throw err.codeInvalid();
  }
  if (code.expires_at <= now) throw err.codeInvalid();
  if (code.redirect_uri !== request.redirect_uri) throw err.redirectUriMismatch();
  checkVerifier(code, request.code_verifier, requirePkce);

  const user = await findUserById(db, code.user_id);
  if (!user?.active) throw err.principalDisabled();
  await signIn.requireConnected(app, user.company_id);
  const geolocation = await signIn.companyGeolocation(user.company_id, requestBaseUrl);
  // Signed before the transaction, so that the write lock is held only for two statements.
  const minted = await issuer.mintUser(
    app,
    { id: user.id, companyId: user.company_id },
    code.scope.split(' '),
    code.id,
    { geolocation, requestBaseUrl },
  );
  const won = await db.transaction().execute(async (trx) => {
    if (!(await markAuthorizationCodeUsed(trx, code.id, now))) return false;
    await issuer.store(trx, minted);
    return true;
  });
  if (!won) {
    // A concurrent exchange used it first: a copy of the code is around. The winner's
    // refresh token is committed by now (its row lock or SQLite's write lock came first).
    await revokeRefreshFamily(db, code.id, Date.now());
    throw err.codeInvalid();
  }
  return minted.response;
}
