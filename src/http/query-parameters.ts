/**
 * Query-string parameters as the Concur endpoints read them: names are case-insensitive in
 * practice (`tripId`/`tripid`, `ItemsPerPage`/`itemsPerPage`), a repeated parameter keeps its
 * last value, and over-long values and NUL are refused.
 *
 * A route declares its query as a TypeBox object with lower-case names (builders in
 * query-schema.ts) and runs `concurQuery(schema)` as a `preValidation` hook: the hook replaces
 * `request.query` with the converted parameters, which Fastify then validates against the same
 * schema, and keeps what the client sent in `request.sentParameters` (paging links, messages).
 */
import type { TObject } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { errors } from '../errors.js';
import { compileQueryConverter } from './query-schema.js';

/** Parameter values by lower-cased name. */
export type Parameters = Record<string, string>;

/** The parameters as the client sent them, once a `concurQuery` hook has read them. */
export interface SentParameters {
  /** Values by lower-cased name: what the schema's names match. */
  lower: Parameters;
  /** Values by name as sent, for links that repeat the client's query (list paging). */
  original: Parameters;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the `concurQuery` and `concurQueryAndBody` hooks. */
    sentParameters?: SentParameters;
  }
}

// Ids, login ids, dates and flags are short; a longer value is a mistake or an attack.
const MAX_PARAMETER_LENGTH = 256;

/**
 * Query parameters by lower-cased name, and as sent. A repeated parameter keeps its last value;
 * a value over 256 characters or holding NUL is a 400.
 */
export function lowerCaseParameters(query: unknown): SentParameters {
  const lower: Parameters = {};
  const original: Parameters = {};
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

/**
 * A `preValidation` hook that reads the query the Concur way (see the file comment) and
 * converts it for `schema`, which must be the route's `schema.querystring`.
 */
export function concurQuery(schema: TObject) {
  const convert = compileQueryConverter(schema);
  return async function concurQueryHook(request: FastifyRequest): Promise<void> {
    const sent = lowerCaseParameters(request.query);
    request.sentParameters = sent;
    request.query = convert(sent.lower);
  };
}

/**
 * A `preValidation` hook for a POST that takes the list parameters from a JSON object body as
 * well as from the query (`POST …/GetTrips`): both are read the Concur way, the body's win, and
 * the merge becomes `request.body`, so the route declares `schema` as its `body`. A body that is
 * not an object is a 400 with `notAnObject`.
 */
export function concurQueryAndBody(schema: TObject, notAnObject: string) {
  const convert = compileQueryConverter(schema);
  return async function concurQueryAndBodyHook(request: FastifyRequest): Promise<void> {
    const fromQuery = lowerCaseParameters(request.query);
    const body = request.body;
    if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
      throw errors.badRequest(notAnObject);
    }
    const fromBody = lowerCaseParameters(body ?? {});
    const sent = {
      lower: { ...fromQuery.lower, ...fromBody.lower },
      original: { ...fromQuery.original, ...fromBody.original },
    };
    request.sentParameters = sent;
    request.body = convert(sent.lower);
  };
}
