/**
 * `grant_type=password` with `credtype=authtoken` (SPEC §2.10, App Center / TripLink
 * connections): `username` is the company id and `password` a 24-hour request token issued
 * for one app (`itinera issue-authtoken`), usable up to five times (TMCOVR). The answer is a
 * company-level token with a refresh token.
 */
import { randomUUID } from 'node:crypto';
import type { AppRow } from '../../../db/database.js';
import { digestToken } from '../../../security/secret-hash.js';
import { oauthErrors as err } from '../oauth-errors.js';
import { grantedScopes } from '../tokens/scopes.js';
import type { TokenResponse } from '../tokens/token-issuer.js';
import { consumeAuthTokenUse, findAuthToken } from './auth-token.repository.js';
import { AUTHTOKEN_MAX_USES } from './auth-token.service.js';
import type { GrantContext, TokenRequest } from './grant-context.js';

/** Exchanges an auth token; throws OAuthError 5, 51, 52, 53, 54, 136 or 16 on failure. */
export async function authtokenGrant(
  context: GrantContext,
  app: AppRow,
  request: TokenRequest,
  requestBaseUrl: string,
): Promise<TokenResponse> {
  const { db, signIn, issuer } = context;
  if (!request.username) throw err.usernameMissing();
  if (!request.password) throw err.passwordMissing();
  const now = Date.now();
  const token = await findAuthToken(db, digestToken(request.password));
  const companyId = request.username.trim().toLowerCase();
  if (!token || token.expires_at <= now || token.uses >= AUTHTOKEN_MAX_USES) {
    await signIn.recordClientFailure(app.client_id);
    throw err.authtokenInvalid();
  }
  if (token.app_id !== app.id) throw err.authtokenNotYours();
  if (token.company_id !== companyId) {
    await signIn.recordClientFailure(app.client_id);
    throw err.authtokenInvalid();
  }
  await signIn.requireConnected(app, token.company_id);
  const geolocation = await signIn.companyGeolocation(token.company_id, requestBaseUrl);
  const scopes = grantedScopes(app, request.scope);
  // Counted only once everything else passed; the UPDATE bounds concurrent uses too.
  if (!(await consumeAuthTokenUse(db, token.id, AUTHTOKEN_MAX_USES, now))) {
    throw err.authtokenInvalid();
  }
  const minted = await issuer.mintCompany(
    app,
    {
      subject: token.company_id,
      companies: [token.company_id],
      refresh: { familyId: randomUUID(), companyId: token.company_id },
    },
    scopes,
    { geolocation, requestBaseUrl },
  );
  return issuer.store(db, minted);
}
