/**
 * What the Itinerary v4 routes accept and answer: the scope, the path and query schemas, the
 * list's response schema, and the reading of the list's `yyyy-mm-dd` dates.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { errors } from '../../../errors.js';
import { MAX_CURSOR_LENGTH } from './trip-cursor.js';

/** The v4 scope (Concur's "Scope Usage"); errors in v4's JSON error schema. */
export const V4_CONFIG = {
  scope: 'travel.itinerary.read',
  rateLimited: true,
  errorFormat: 'v4-json',
} as const;

/**
 * Longest trip id accepted in a path: the router's own limit on a path parameter (Fastify's
 * `maxParamLength`, 414 beyond it). Ids are far shorter; a longer one names no trip.
 */
const MAX_TRIP_ID_LENGTH = 100;

export const TripV4Path = Type.Object({
  id: Type.String({ minLength: 1, maxLength: MAX_TRIP_ID_LENGTH }),
});

const DATE = '^\\d{4}-\\d{2}-\\d{2}$';

export const TripV4ListQuery = Type.Object(
  {
    schema: Type.Optional(
      Type.Literal('id', { invalidMessage: "schema: the supported value is 'id'." }),
    ),
    endDateFrom: Type.Optional(
      Type.String({
        pattern: DATE,
        invalidMessage: 'endDateFrom: expected a date yyyy-mm-dd.',
      }),
    ),
    endDateTo: Type.Optional(
      Type.String({
        pattern: DATE,
        invalidMessage: 'endDateTo: expected a date yyyy-mm-dd.',
      }),
    ),
    startAfter: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: MAX_CURSOR_LENGTH,
        invalidMessage:
          'startAfter: not a cursor of this list; use the href of a next or prev operation as given.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type TripV4ListQuery = Static<typeof TripV4ListQuery>;

/** The list's answer (v4.itineraries.md): trip ids with their links, and paging operations. */
export const TripV4ListResponse = Type.Object({
  data: Type.Array(Type.Object({ id: Type.String(), href: Type.String() })),
  operations: Type.Array(
    Type.Object({
      rel: Type.Union([Type.Literal('next'), Type.Literal('prev')]),
      href: Type.String(),
    }),
  ),
});

/**
 * The trip document's top level, for the route's 200 (its full shape is the reference's schema
 * tables; further elements are passed through as rendered).
 */
export const TripV4Response = Type.Object(
  {
    id: Type.String(),
    UserLoginId: Type.String(),
    TripName: Type.Optional(Type.String()),
    TripStatus: Type.Optional(Type.Union([Type.Number(), Type.String()])),
    Bookings: Type.Array(Type.Object({}, { additionalProperties: true })),
  },
  { additionalProperties: true },
);

/** The v4 error schema ("Error Schema"): `{ errors: [{ errorCode, errorMessage }] }`. */
export const V4ErrorResponse = Type.Object({
  errors: Type.Array(Type.Object({ errorCode: Type.String(), errorMessage: Type.String() })),
});

/**
 * A `preValidation` hook: the list takes only the parameters its reference documents, once
 * each. An unknown one is refused by name rather than ignored, since a mistyped filter would
 * otherwise answer a different list as if it had been applied.
 */
export async function onlyDocumentedParameters(request: FastifyRequest): Promise<void> {
  const known = Object.keys(TripV4ListQuery.properties);
  for (const [name, value] of Object.entries(request.query as Record<string, unknown>)) {
    if (!known.includes(name)) {
      throw errors.badRequest(
        `Unknown query parameter '${name.slice(0, 40)}'; the list takes ${known.join(', ')}.`,
      );
    }
    if (Array.isArray(value)) throw errors.badRequest(`The query parameter ${name} is repeated.`);
  }
}

/** A `yyyy-mm-dd` parameter as the instant its day starts (UTC); 400 for no such day. */
export function dayOf(name: string, text: string): number {
  const ms = Date.parse(`${text}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text) {
    throw errors.invalidValue(name, `'${text}' is not a calendar date (yyyy-mm-dd)`);
  }
  return ms;
}
