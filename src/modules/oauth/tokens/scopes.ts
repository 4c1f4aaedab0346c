/**
 * Scope rules shared by the grants: a request may narrow an app's granted scopes, never widen
 * them (SPEC §2.10 code 54; scopes are space-separated and case-sensitive, §2.11).
 */
import type { AppRow } from '../../../db/database.js';
import { oauthErrors as err } from '../oauth-errors.js';

/**
 * Scopes an app may ask for because it holds another (docs/ACCESS.md, "Scopes"): an app trusted
 * with v1.1 itineraries (`ITINER`) may read the same trips through Itinerary v4 and subscribe to
 * their ESS events (which carry no more than v4 shows). They are granted
 * only when asked for, so that existing apps' tokens stay as they were.
 */
const REQUESTABLE_WITH: Readonly<Record<string, readonly string[]>> = {
  ITINER: ['travel.itinerary.read', 'events.topic.read'],
};

/** The scopes stored for an app. */
function storedScopes(app: Pick<AppRow, 'scopes'>): string[] {
  return JSON.parse(app.scopes) as string[];
}

/** Every scope an app may request: its own, and those its own let it ask for. */
export function requestableScopes(app: Pick<AppRow, 'scopes'>): string[] {
  const own = storedScopes(app);
  const all = new Set(own);
  for (const scope of own) for (const extra of REQUESTABLE_WITH[scope] ?? []) all.add(extra);
  return [...all];
}

/** The scopes to grant: all of the app's, or the requested subset; code 54 beyond them. */
export function grantedScopes(app: AppRow, requested: string | undefined): string[] {
  if (!requested?.trim()) return storedScopes(app);
  const allowed = requestableScopes(app);
  const wanted = requested.trim().split(/\s+/);
  if (wanted.some((s) => !allowed.includes(s))) throw err.scopeExceeded();
  return wanted;
}
