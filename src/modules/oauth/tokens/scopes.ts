/**
 * Scope rules shared by the grants: a request may narrow an app's granted scopes, never widen
 * them (SPEC §2.10 code 54; scopes are space-separated and case-sensitive, §2.11).
 */
import type { AppRow } from '../../../db/database.js';
import { oauthErrors as err } from '../oauth-errors.js';

/** The scopes to grant: all of the app's, or the requested subset; code 54 beyond them. */
export function grantedScopes(app: AppRow, requested: string | undefined): string[] {
  const granted = JSON.parse(app.scopes) as string[];
  if (!requested?.trim()) return granted;
  const wanted = requested.trim().split(/\s+/);
  if (wanted.some((s) => !granted.includes(s))) throw err.scopeExceeded();
  return wanted;
}
