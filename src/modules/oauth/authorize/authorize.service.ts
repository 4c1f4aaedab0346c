/**
 * The authorization endpoint's rules (RFC 6749 §4.1, SPEC §2.10): which requests may be
 * shown a sign-in page, which errors go back to the client and which never may (an unknown
 * client or an unregistered redirect URI: redirecting there would make us an open
 * redirector), and the single-use, hashed authorization codes a successful sign-in yields.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database.js';
import { OAuthError } from '../../../errors.js';
import { digestToken, randomToken } from '../../../security/secret-hash.js';
import {
  deleteExpiredAuthorizationCodes,
  insertAuthorizationCode,
} from '../grants/authorization-code.repository.js';
import { type ChallengeMethod, isValidChallenge } from '../grants/pkce.js';
import type { SignInService } from '../sign-in/sign-in.service.js';
import { requestableScopes } from '../tokens/scopes.js';
import {
  type AuthorizationRequest,
  type CheckedRequest,
  redirectTarget,
  redirectWith,
  type SentOnce,
} from './authorization-request.js';
import { checkLegacyLogin, type LegacyLoginParameters } from './legacy-login.js';

export type {
  AuthorizationRequest,
  CheckedRequest,
  SentOnce,
} from './authorization-request.js';
export { redirectWith } from './authorization-request.js';

export type SignInOutcome =
  | { kind: 'redirect'; location: string }
  /** Show the form again with a message. */
  | { kind: 'retry'; status: number; message: string; retryAfterSeconds?: number };

export interface AuthorizeServiceOptions {
  /** Lifetime of an authorization code (RFC 6749 §4.1.2 recommends at most 10 minutes). */
  codeTtlSeconds: number;
}

// Used and expired codes are kept a day longer, so that a code replayed soon after still
// revokes what it issued; older ones are deleted as new codes are issued.
const CODE_RETENTION_MS = 24 * 3600_000;
const MAX_STATE_LENGTH = 2048;
const MAX_SCOPE_LENGTH = 1024;

/** The parameters of an authorization request (the GET's query, or the form's fields). */
export interface AuthorizationParameters {
  client_id?: SentOnce;
  redirect_uri?: SentOnce;
  response_type?: SentOnce;
  scope?: SentOnce;
  state?: SentOnce;
  code_challenge?: SentOnce;
  code_challenge_method?: SentOnce;
}

/** The parameters that must not be repeated, in the order they are checked after `state`. */
const NOT_REPEATED = ['response_type', 'scope', 'code_challenge', 'code_challenge_method'] as const;

export class AuthorizeService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly signIn: SignInService,
    private readonly options: AuthorizeServiceOptions,
  ) {}

  /** Validates the parameters of a GET (or of the form's POST, which carries them again). */
  async check(params: AuthorizationParameters): Promise<CheckedRequest> {
    const target = await redirectTarget(this.db, params.client_id, params.redirect_uri);
    if (target.kind === 'refuse') return target;
    const { app, redirectUri } = target;
    const back = (error: string, description: string, state?: string): CheckedRequest => ({
      kind: 'redirect',
      location: redirectWith(redirectUri, { error, error_description: description, state }),
    });

    const state = params.state;
    if (!state || state.length > MAX_STATE_LENGTH) {
      return back('invalid_request', `state is required (at most ${MAX_STATE_LENGTH} characters).`);
    }
    for (const name of NOT_REPEATED) {
      if (params[name] === null) return back('invalid_request', `${name} is repeated.`, state);
    }
    const responseType = params.response_type;
    if (!responseType) return back('invalid_request', 'response_type is missing.', state);
    if (responseType !== 'code') {
      return back('unsupported_response_type', "response_type must be 'code'.", state);
    }
    const granted = JSON.parse(app.scopes) as string[];
    const requestable = requestableScopes(app);
    const scope = params.scope?.trim();
    if (scope && scope.length > MAX_SCOPE_LENGTH) {
      return back('invalid_scope', 'scope is too long.', state);
    }
    const scopes = scope ? [...new Set(scope.split(/\s+/))] : granted;
    if (scopes.length === 0 || scopes.some((s) => !requestable.includes(s))) {
      return back('invalid_scope', 'The requested scope exceeds the granted scope.', state);
    }

    const challenge = params.code_challenge ?? null;
    const method = params.code_challenge_method ?? null;
    if (method !== null && challenge === null) {
      return back('invalid_request', 'code_challenge_method without code_challenge.', state);
    }
    if (method !== null && method !== 'S256' && method !== 'plain') {
      return back('invalid_request', "code_challenge_method must be 'S256' or 'plain'.", state);
    }
    // RFC 7636 §4.3: a challenge without a method is 'plain'.
    const challengeMethod: ChallengeMethod | null = challenge === null ? null : (method ?? 'plain');
    if (challenge !== null && !isValidChallenge(challenge, challengeMethod ?? 'plain')) {
      return back('invalid_request', 'code_challenge is malformed (RFC 7636 §4.2).', state);
    }
    return {
      kind: 'valid',
      request: {
        app,
        redirectUri,
        scopes,
        state,
        flow: 'oauth2',
        codeChallenge: challenge,
        codeChallengeMethod: challengeMethod,
      },
    };
  }

  /** Validates the parameters of a pre-2017 `Login.aspx` request (or of its form's POST). */
  checkLegacy(params: LegacyLoginParameters): Promise<CheckedRequest> {
    return checkLegacyLogin(this.db, params);
  }

  /** The parameters that describe a request, as the form carries them. */
  requestFields(request: AuthorizationRequest): Record<string, string> {
    if (request.flow === 'net2') {
      // Login.aspx's own parameters: scopes comma-separated, no response type nor PKCE.
      return {
        client_id: request.app.client_id,
        redirect_uri: request.redirectUri,
        scope: request.scopes.join(','),
        state: request.state,
      };
    }
    return {
      client_id: request.app.client_id,
      redirect_uri: request.redirectUri,
      response_type: 'code',
      scope: request.scopes.join(' '),
      state: request.state,
      code_challenge: request.codeChallenge ?? '',
      code_challenge_method: request.codeChallengeMethod ?? '',
    };
  }

  /** Where the user goes when they deny the request. */
  deny(request: AuthorizationRequest): string {
    return redirectWith(request.redirectUri, {
      error: 'access_denied',
      error_description: 'The user denied the request.',
      state: request.state || undefined,
    });
  }

  /**
   * Checks the user's credentials (with the token endpoint's throttles) and, when they are
   * good, issues a code and answers where to send the browser.
   */
  async signInAndIssue(
    request: AuthorizationRequest,
    loginId: string,
    password: string,
    requestBaseUrl: string,
  ): Promise<SignInOutcome> {
    const back = (error: string, description: string, extra: Record<string, string> = {}) => ({
      kind: 'redirect' as const,
      location: redirectWith(request.redirectUri, {
        error,
        error_description: description,
        state: request.state || undefined,
        ...extra,
      }),
    });
    try {
      // The page has its own client budget: failures typed here must not lock the client out
      // of the token endpoint. The per-user budget is shared.
      const user = await this.signIn.authenticateUser(
        request.app,
        loginId,
        password,
        `authorize:${request.app.client_id}`,
      );
      const geolocation = await this.signIn.companyGeolocation(user.company_id, requestBaseUrl);
      const code = await this.issueCode(request, user.id, user.company_id);
      // The pre-2017 redirect carries the code and the state only; its token answer says
      // where the user's data lives (Instance_Url).
      const location =
        request.flow === 'net2'
          ? redirectWith(request.redirectUri, { code, state: request.state || undefined })
          : redirectWith(request.redirectUri, { code, state: request.state, geolocation });
      return { kind: 'redirect', location };
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      switch (error.numericCode) {
        case 5:
          return { kind: 'retry', status: 200, message: 'Incorrect login id or password.' };
        case 123:
          return { kind: 'retry', status: 200, message: 'This account is disabled.' };
        case 429:
          return {
            kind: 'retry',
            status: 429,
            message: error.message,
            ...(error.retryAfterSeconds !== undefined
              ? { retryAfterSeconds: error.retryAfterSeconds }
              : {}),
          };
        case 16:
          return back('access_denied', error.message, { geolocation: error.geolocation ?? '' });
        default:
          return back('access_denied', error.message);
      }
    }
  }

  private async issueCode(
    request: AuthorizationRequest,
    userId: string,
    companyId: string,
  ): Promise<string> {
    const code = randomToken();
    const now = Date.now();
    await deleteExpiredAuthorizationCodes(this.db, now - CODE_RETENTION_MS);
    await insertAuthorizationCode(this.db, {
      id: randomUUID(),
      codeHash: digestToken(code),
      appId: request.app.id,
      userId,
      companyId,
      redirectUri: request.redirectUri,
      scope: request.scopes.join(' '),
      codeChallenge: request.codeChallenge,
      codeChallengeMethod: request.codeChallengeMethod,
      flow: request.flow,
      expiresAt: now + this.options.codeTtlSeconds * 1000,
      createdAt: now,
    });
    return code;
  }
}
