/**
 * The rules of Concur's pre-2017 web flow request, `GET /net2/oauth2/Login.aspx?client_id=
 * &scope=&redirect_uri=&state=` (authorization-pre-2017, "Web"): the v0 page's checks where
 * the doc is silent, its own where it speaks. Scopes are comma-separated (`ITINER,TRVPRF`) and
 * may only narrow the app's; `state` is optional ("returned intact" when sent); there is no
 * `response_type` and no PKCE. The client and redirect URI are checked exactly as on the v0
 * page (authorization-request.ts) before anything is sent to the redirect URI.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database.js';
import {
  type CheckedRequest,
  redirectTarget,
  redirectWith,
  type SentOnce,
} from './authorization-request.js';

/** The parameters of a `Login.aspx` request (the GET's query, or the form's fields). */
export interface LegacyLoginParameters {
  client_id?: SentOnce;
  redirect_uri?: SentOnce;
  scope?: SentOnce;
  state?: SentOnce;
}

const MAX_STATE_LENGTH = 2048;
const MAX_SCOPE_LENGTH = 1024;

/** Validates a `Login.aspx` request; see the file comment for its rules. */
export async function checkLegacyLogin(
  db: Kysely<Database>,
  params: LegacyLoginParameters,
): Promise<CheckedRequest> {
  const target = await redirectTarget(db, params.client_id, params.redirect_uri, {
    soleUriByDefault: true,
  });
  if (target.kind === 'refuse') return target;
  const { app, redirectUri } = target;

  const back = (error: string, description: string, state?: string): CheckedRequest => ({
    kind: 'redirect',
    location: redirectWith(redirectUri, { error, error_description: description, state }),
  });
  if (params.state === null) return back('invalid_request', 'state is repeated.');
  const state = params.state ?? '';
  if (state.length > MAX_STATE_LENGTH) {
    return back('invalid_request', `state is longer than ${MAX_STATE_LENGTH} characters.`);
  }
  const sentState = state || undefined;
  if (params.scope === null) return back('invalid_request', 'scope is repeated.', sentState);
  const scope = params.scope?.trim() ?? '';
  if (scope.length > MAX_SCOPE_LENGTH) {
    return back('invalid_scope', 'scope is too long.', sentState);
  }
  const granted = JSON.parse(app.scopes) as string[];
  // Commas as the doc says; spaces (the v0 separator) are read as commas too.
  const asked = [...new Set(scope.split(/[\s,]+/).filter((name) => name !== ''))];
  const scopes = asked.length > 0 ? asked : granted;
  if (scopes.length === 0 || scopes.some((name) => !granted.includes(name))) {
    return back('invalid_scope', 'The requested scope exceeds the granted scope.', sentState);
  }
  return {
    kind: 'valid',
    request: {
      app,
      redirectUri,
      scopes,
      state,
      flow: 'net2',
      codeChallenge: null,
      codeChallengeMethod: null,
    },
  };
}
