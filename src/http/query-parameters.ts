/**
 * Query-string parameters as the Concur endpoints read them.
 */
import { errors } from '../errors.js';

/** Parameter values by lower-cased name. */
export type Parameters = Record<string, string>;

// Ids, login ids, dates and flags are short; a longer value is a mistake or an attack.
const MAX_PARAMETER_LENGTH = 256;

/**
 * Query parameters by lower-cased name (Concur's names are case-insensitive in practice:
 * `tripId`/`tripid`, `ItemsPerPage`/`itemsPerPage`). A repeated parameter keeps its last value.
 */
export function lowerCaseParameters(query: unknown): {
  lower: Parameters;
  original: Record<string, string>;
} {
  const lower: Parameters = {};
  const original: Record<string, string> = {};
  if (!query || typeof query !== 'object') return { lower, original };
  for (const [key, raw] of Object.entries(query as Record<string, unknown>)) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value === undefined || value === null) continue;
    const text = String(value);
    if (text.length > MAX_PARAMETER_LENGTH) {
      throw errors.badRequest(
        `The parameter ${key} is longer than ${MAX_PARAMETER_LENGTH} characters.`,
      );
    }
    // No id, login or date holds U+0000, and PostgreSQL text cannot store it (500 otherwise).
    if (text.includes('\u0000')) throw errors.badRequest(`The parameter ${key} contains NUL.`);
    lower[key.toLowerCase()] = text;
    original[key] = text;
  }
  return { lower, original };
}
