/**
 * What the Insights v3 routes accept and answer: their paths, the query schemas, the reading of
 * the `fromUtc`/`toUtc` dates and `opportunityType` list, and the response schemas (the names,
 * nesting and types of opportunities-resource.markdown and latest-bookings-resource.markdown).
 */
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { DAY_MS } from '../../domain/dates.js';
import { errors } from '../../errors.js';
import { MAX_CURSOR_LENGTH } from './insights-cursor.js';
import { OPPORTUNITY_TYPES, type OpportunityType } from './rules/opportunity-rules.js';

export const OPPORTUNITIES_PATH = '/api/v3.0/insights/opportunities';
export const LATEST_BOOKINGS_PATH = '/api/v3.0/insights/latestbookings';

/** The itinerary read scope, as the v1.1 reads; rate limited like them; errors follow Accept. */
export const INSIGHTS_CONFIG = { scope: 'ITINER', rateLimited: true } as const;

/** The widest window one query may span (a year, leap day included). */
export const MAX_WINDOW_DAYS = 366;

export const OpportunitiesQuery = Type.Object({
  tripId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  opportunityType: Type.Optional(Type.String({ maxLength: 100 })),
  fromUtc: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  toUtc: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  offset: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: MAX_CURSOR_LENGTH,
      invalidMessage: 'offset: not a cursor of this query; use NextPage as given.',
    }),
  ),
});
export type OpportunitiesQuery = Static<typeof OpportunitiesQuery>;

export const LatestBookingsQuery = Type.Object({
  user: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
});
export type LatestBookingsQuery = Static<typeof LatestBookingsQuery>;

/** The Opportunity schema, its properties in the reference's order. */
export const OpportunitySchema = Type.Object({
  EndCityCode: Type.Optional(Type.String()),
  EndDateLocal: Type.Optional(Type.String({ format: 'date-time' })),
  EndPostalCode: Type.Optional(Type.String()),
  ID: Type.String(),
  IsActive: Type.Boolean(),
  StartCityCode: Type.Optional(Type.String()),
  StartDateLocal: Type.Optional(Type.String({ format: 'date-time' })),
  StartPostalCode: Type.Optional(Type.String()),
  TripId: Type.String(),
  Type: Type.Union(OPPORTUNITY_TYPES.map((type) => Type.Literal(type))),
  URI: Type.String(),
});

export const OpportunitiesResponse = Type.Object({
  Items: Type.Array(OpportunitySchema),
  NextPage: Type.Optional(Type.String({ description: 'The URI of the next page, if any.' })),
});
export type OpportunitiesResponse = Static<typeof OpportunitiesResponse>;

export const LatestBookingsResponse = Type.Object({
  Airlines: Type.Array(
    Type.Object({
      BookingClass: Type.Optional(Type.String()),
      Code: Type.Optional(Type.String()),
    }),
  ),
  Hotel: Type.Optional(
    Type.Object({
      Location: Type.Optional(Type.String()),
      StarRating: Type.Integer({ minimum: 0, maximum: 5 }),
    }),
  ),
});
export type LatestBookingsResponse = Static<typeof LatestBookingsResponse>;

/**
 * A `preValidation` hook: each route takes only the parameters its reference documents (and
 * `offset`, the cursor of NextPage), once each. An unknown one is refused by name rather than
 * ignored, since a mistyped filter would otherwise answer as if it had been applied.
 */
export function onlyParameters(known: readonly string[]) {
  return async (request: FastifyRequest): Promise<void> => {
    for (const [name, value] of Object.entries(request.query as Record<string, unknown>)) {
      if (!known.includes(name)) {
        throw errors.badRequest(
          `Unknown query parameter '${name.slice(0, 40)}'; this endpoint takes ${known.join(', ')}.`,
        );
      }
      if (Array.isArray(value)) throw errors.badRequest(`The query parameter ${name} is repeated.`);
    }
  };
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * A `fromUtc`/`toUtc` value as an instant: an ISO 8601 date or date-time, UTC unless it says
 * otherwise. A date alone is the day's start, or for `toUtc` its last millisecond (the day is
 * included). 400 for anything else, or a day that does not exist.
 */
export function instantOf(name: 'fromUtc' | 'toUtc', text: string): number {
  const match = DATE_TIME.exec(text);
  const bad = () =>
    errors.invalidValue(name, `'${text.slice(0, 40)}' is not a date-time (yyyy-mm-ddThh:mm:ssZ)`);
  if (!match) throw bad();
  const [, year, month, day, hour, minute, second, zone] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.toISOString().slice(0, 10) !== `${year}-${month}-${day}`) throw bad();
  if (hour === undefined) {
    if (zone !== undefined) throw bad();
    return name === 'toUtc' ? date.getTime() + DAY_MS - 1 : date.getTime();
  }
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) throw bad();
  const ms = Date.parse(zone === undefined ? `${text}Z` : text);
  if (Number.isNaN(ms)) throw bad();
  return ms;
}

/** The `opportunityType` list (comma separated, any case); empty for all types. */
export function typesOf(text: string | undefined): OpportunityType[] {
  if (text === undefined || text.trim() === '') return [];
  const types = new Set<OpportunityType>();
  for (const part of text.split(',')) {
    const name = part.trim().toLowerCase();
    const type = OPPORTUNITY_TYPES.find((t) => t.toLowerCase() === name);
    if (!type) {
      throw errors.invalidValue(
        'opportunityType',
        `'${part.trim().slice(0, 40)}' is not one of ${OPPORTUNITY_TYPES.join(', ')}`,
      );
    }
    types.add(type);
  }
  // One canonical order, so that the same set gives the same NextPage.
  return OPPORTUNITY_TYPES.filter((t) => types.has(t));
}

/** What the opportunities query asks for: one trip, or a window. */
export type OpportunitiesRequest =
  | { kind: 'trip'; tripId: string; types: OpportunityType[] }
  | { kind: 'window'; from: number; to: number; types: OpportunityType[]; offset?: string };

/** Reads the opportunities query, refusing combinations the reference does not describe. */
export function opportunitiesRequest(query: OpportunitiesQuery): OpportunitiesRequest {
  const types = typesOf(query.opportunityType);
  if (query.tripId !== undefined) {
    if (query.fromUtc !== undefined || query.toUtc !== undefined || query.offset !== undefined) {
      throw errors.badRequest(
        'Specify either tripId or fromUtc and toUtc (with offset from NextPage), not both.',
      );
    }
    return { kind: 'trip', tripId: query.tripId, types };
  }
  if (query.fromUtc === undefined || query.toUtc === undefined) {
    throw errors.badRequest('Specify tripId, or both fromUtc and toUtc.');
  }
  const from = instantOf('fromUtc', query.fromUtc);
  const to = instantOf('toUtc', query.toUtc);
  if (from > to) throw errors.invalidValue('toUtc', 'cannot be earlier than fromUtc');
  if (to - from > MAX_WINDOW_DAYS * DAY_MS) {
    throw errors.invalidValue('toUtc', `the window may span at most ${MAX_WINDOW_DAYS} days`);
  }
  return {
    kind: 'window',
    from,
    to,
    types,
    ...(query.offset !== undefined ? { offset: query.offset } : {}),
  };
}
