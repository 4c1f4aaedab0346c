/**
 * The OAuth 2.0 token endpoint's rules (SPEC §2.10): password (credtype password or
 * authtoken), client_credentials, refresh_token and authorization_code grants, Concur's
 * numeric error codes, RS256 access tokens and rotating, hashed refresh tokens.
 */
import { randomUUID } from 'node:crypto';
import type { AppRow } from '../../../db/database.js';
import { digestToken } from '../../../security/secret-hash.js';
import { findAppByClientId, findUserById } from '../../accounts/index.js';
import { authtokenGrant } from '../grants/authtoken-grant.js';
import { authorizationCodeGrant } from '../grants/code-grant.js';
import type { GrantContext, TokenRequest } from '../grants/grant-context.js';
import { oauthErrors as err } from '../oauth-errors.js';
import {
  findRefreshToken,
  markRefreshTokenUsed,
  revokeRefreshFamily,
} from './refresh-token.repository.js';
import { grantedScopes } from './scopes.js';
import type { TokenResponse } from './token-issuer.js';

export type { GrantContext, TokenRequest } from '../grants/grant-context.js';
export type { TokenResponse } from './token-issuer.js';

/** Issues tokens for the grants Itinera supports. */
export class TokenService {
  constructor(private readonly context: GrantContext) {}

  /** Handles one token request; throws OAuthError with Concur's codes on failure. */
  async issue(request: TokenRequest, requestBaseUrl: string): Promise<TokenResponse> {
    if (!request.grant_type) throw err.grantMissing();
    const app = await this.context.signIn.authenticateClient(
      request.client_id,
      request.client_secret,
    );
    switch (request.grant_type) {
      case 'password':
        return this.passwordGrant(app, request, requestBaseUrl);
      case 'client_credentials':
        return this.clientCredentialsGrant(app, request, requestBaseUrl);
      case 'refresh_token':
        return this.refreshGrant(app, request, requestBaseUrl);
      case 'authorization_code':
        return authorizationCodeGrant(this.context, app, request, requestBaseUrl);
      default:
        // otp among them: Itinera sends no one-time passwords (see COMPATIBILITY.md).
        throw err.grantUnsupported(request.grant_type);
    }
  }

  /**
   * Redeems a code issued to a public client (an app without a secret, such as the web app
   * Itinera serves): such a client cannot use the token endpoint, which requires a secret, so
   * the server code acting for it calls this. PKCE is required; the other checks are the
   * code grant's.
   */
  async redeemPublicClientCode(
    request: Required<Pick<TokenRequest, 'client_id' | 'code' | 'redirect_uri' | 'code_verifier'>>,
    requestBaseUrl: string,
  ): Promise<TokenResponse> {
    const app = await findAppByClientId(this.context.db, request.client_id);
    if (!app) throw err.clientNotFound();
    // Only a client registered without a secret is public.
    if (app.client_secret_hash !== '') throw err.clientSecretMissing();
    if (!app.active) throw err.clientDisabled();
    return authorizationCodeGrant(
      this.context,
      app,
      { ...request, grant_type: 'authorization_code' },
      requestBaseUrl,
      true,
    );
  }

  private async passwordGrant(app: AppRow, request: TokenRequest, requestBaseUrl: string) {
    const credtype = request.credtype?.toLowerCase() ?? 'password';
    if (credtype === 'authtoken') return authtokenGrant(this.context, app, request, requestBaseUrl);
    if (credtype !== 'password') throw err.credtypeInvalid();
    if (!request.username) throw err.usernameMissing();
    if (!request.password) throw err.passwordMissing();
    const { signIn, issuer, db } = this.context;
    const user = await signIn.authenticateUser(app, request.username, request.password);
    const geolocation = await signIn.companyGeolocation(user.company_id, requestBaseUrl);
    const scopes = grantedScopes(app, request.scope);
    const minted = await issuer.mintUser(
      app,
      { id: user.id, companyId: user.company_id },
      scopes,
      randomUUID(),
      { geolocation, requestBaseUrl },
    );
    return issuer.store(db, minted);
  }

  private async clientCredentialsGrant(app: AppRow, request: TokenRequest, requestBaseUrl: string) {
    // The token reaches the connected companies of the regions this instance serves.
    const { companies, geolocation } = await this.context.signIn.servedCompanies(
      app,
      requestBaseUrl,
    );
    const scopes = grantedScopes(app, request.scope);
    const minted = await this.context.issuer.mintCompany(
      app,
      { subject: app.id, companies },
      scopes,
      { geolocation, requestBaseUrl },
    );
    return minted.response;
  }

  private async refreshGrant(app: AppRow, request: TokenRequest, requestBaseUrl: string) {
    if (!request.refresh_token) throw err.refreshMissing();
    const { db, signIn, issuer } = this.context;
    const now = Date.now();
    const stored = await findRefreshToken(db, digestToken(request.refresh_token));
    if (
      !stored ||
      stored.app_id !== app.id ||
      stored.revoked_at !== null ||
      stored.expires_at <= now
    ) {
      throw err.refreshInvalid();
    }
    if (stored.used_at !== null || !(await markRefreshTokenUsed(db, stored.id, now))) {
      // A rotated token came back: someone holds a copy. Cut off the whole sign-in.
      await revokeRefreshFamily(db, stored.family_id, now);
      throw err.refreshInvalid();
    }
    const storedScopes = stored.scope.split(' ');
    const scopes = request.scope?.trim() ? request.scope.trim().split(/\s+/) : storedScopes;
    if (scopes.some((s) => !storedScopes.includes(s))) throw err.scopeExceeded();

    if (stored.user_id === null) {
      // A company sign-in (credtype=authtoken): the company must still be connected.
      await signIn.requireConnected(app, stored.company_id);
      const geolocation = await signIn.companyGeolocation(stored.company_id, requestBaseUrl);
      const grant = {
        subject: stored.company_id,
        companies: [stored.company_id],
        refresh: { familyId: stored.family_id, companyId: stored.company_id },
      };
      return issuer.store(
        db,
        await issuer.mintCompany(app, grant, scopes, { geolocation, requestBaseUrl }),
      );
    }
    const user = await findUserById(db, stored.user_id);
    if (!user?.active) throw err.principalDisabled();
    await signIn.requireConnected(app, user.company_id);
    const geolocation = await signIn.companyGeolocation(user.company_id, requestBaseUrl);
    const minted = await issuer.mintUser(
      app,
      { id: user.id, companyId: user.company_id },
      scopes,
      stored.family_id,
      { geolocation, requestBaseUrl },
    );
    return issuer.store(db, minted);
  }
}
