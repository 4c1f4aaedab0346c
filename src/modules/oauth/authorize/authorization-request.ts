/**
 * What an authorization request is once checked, and the first check of every one, on the v0
 * page and on the pre-2017 `Login.aspx` alike: the client must be a known, active app and the redirect URI one it
 * registered, compared as exact strings (RFC 6749 §3.1.2.3; no prefix, no normalisation).
 * Until both hold nothing may be sent to the redirect URI: doing so would make Itinera an
 * open redirector.
 */
import type { Kysely } from 'kysely';
import type { AppRow, AuthorizationCodeFlow, Database } from '../../../db/database.js';
import { findAppByClientId } from '../../accounts/index.js';
import type { ChallengeMethod } from '../grants/pkce.js';

/** A parameter as the client sent it: absent (or empty), once (its text), or repeated (null). */
export type SentOnce = string | null | undefined;

/** Appends query parameters to a registered redirect URI, keeping its own query as is. */
export function redirectWith(uri: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) query.append(name, value);
  }
  return `${uri}${uri.includes('?') ? '&' : '?'}${query.toString()}`;
}

/** A validated authorization request. */
export interface AuthorizationRequest {
  app: AppRow;
  redirectUri: string;
  scopes: string[];
  /** Required on the v0 page; the pre-2017 page may have none (''). */
  state: string;
  /** Which page the request came through, and so where its code is exchanged. */
  flow: AuthorizationCodeFlow;
  codeChallenge: string | null;
  codeChallengeMethod: ChallengeMethod | null;
}

export type CheckedRequest =
  /** Nothing may be sent to the redirect URI: show an error page. */
  | { kind: 'refuse'; message: string }
  /** An error the client must hear about, at its redirect URI. */
  | { kind: 'redirect'; location: string }
  | { kind: 'valid'; request: AuthorizationRequest };

export type RedirectTarget =
  | { kind: 'refuse'; message: string }
  | { kind: 'target'; app: AppRow; redirectUri: string };

/**
 * The app and the redirect URI of a request. With `soleUriByDefault` an absent redirect URI
 * means the app's only registered one (the pre-2017 page documents the parameter without
 * requiring it); with several registered, or none, it must be sent.
 */
export async function redirectTarget(
  db: Kysely<Database>,
  clientId: SentOnce,
  redirectUri: SentOnce,
  options: { soleUriByDefault?: boolean } = {},
): Promise<RedirectTarget> {
  if (clientId === undefined) return { kind: 'refuse', message: 'client_id is missing.' };
  const app =
    clientId && clientId.length <= 255 ? await findAppByClientId(db, clientId) : undefined;
  if (!app?.active) return { kind: 'refuse', message: 'The application is unknown or disabled.' };
  const registered = JSON.parse(app.redirect_uris) as string[];
  if (redirectUri === undefined) {
    const sole = registered.length === 1 ? registered[0] : undefined;
    if (options.soleUriByDefault && sole) return { kind: 'target', app, redirectUri: sole };
    return { kind: 'refuse', message: 'redirect_uri is missing.' };
  }
  if (redirectUri === null || !registered.includes(redirectUri)) {
    return { kind: 'refuse', message: 'The redirect_uri is not registered for this application.' };
  }
  return { kind: 'target', app, redirectUri };
}
