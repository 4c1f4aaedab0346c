/**
 * What the itinerary routes accept (SPEC §2.1–§2.7): their scope and request limits, and the
 * TypeBox schemas of their query, path parameters and headers, each parameter with the message
 * of its 400. Query names are lower-case (`concurQuery` reads them in any case); the messages
 * spell them as Concur documents them. Each schema lists its parameters in the order the routes
 * have always checked them, since the first failing one answers.
 */
import { type Static, type TObject, type TString, Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { SEGMENT_TYPES } from '../../domain/segment-types.js';
import { queryNames } from '../../http/ignored-input.js';
import {
  QueryBoolean,
  QueryDate,
  QueryEnum,
  QueryInteger,
  QueryText,
} from '../../http/query-schema.js';
import {
  invertedWindow,
  type ListDate,
  MAX_ITEMS_PER_PAGE,
  MAX_PAGE,
  type TripListQuery,
} from './trip-list.service.js';

/** Every itinerary endpoint needs the ITINER scope and counts against the (app, company) limits. */
export const ITINERARY = { scope: 'ITINER', rateLimited: true } as const;

/**
 * An itinerary route's config: ITINERARY, and the parameters `query` declares, so that the
 * answer names any other one sent in `Itinera-Ignored` (none declared: every one is named).
 */
export function itineraryConfig(query: TObject = Type.Object({})) {
  // INVERTED_WINDOW is a mark the hooks set, not a parameter: a client sending it is ignored.
  return { ...ITINERARY, knownQuery: queryNames(query, [INVERTED_WINDOW]) };
}

/** `userid_type` + `userid_value`: the user a call acts for (SPEC §1.1), checked by the services. */
const ActingUser = {
  userid_type: Type.Optional(Type.String()),
  userid_value: Type.Optional(Type.String()),
};

/** The user a call acts for, as the accounts module's `UserSelector` has it. */
export function selectorOf(query: { userid_type?: string; userid_value?: string }): {
  useridType?: string;
  useridValue?: string;
} {
  return { useridType: query.userid_type, useridValue: query.userid_value };
}

// The list has always trimmed flags, page numbers and bookingType, and refused a blank one.
const flag = (name: string) =>
  Type.Optional(
    QueryBoolean({
      trim: true,
      blank: 'invalid',
      digits: true,
      invalid: `${name} must be true or false (got '{value}').`,
    }),
  );
const date = (name: string) =>
  Type.Optional(
    QueryDate({ invalid: `${name} must be a date as YYYY-MM-DD or YYYY/MM/DD (got '{value}').` }),
  );
const pageNumber = (name: string, maximum: number) =>
  Type.Optional(
    QueryInteger({
      minimum: 1,
      maximum,
      trim: true,
      blank: 'invalid',
      invalid: `${name} must be a whole number from 1 to ${maximum} (got '{value}').`,
    }),
  );

/**
 * Not a parameter: set by `markInvertedWindow` when startDate is after endDate, so that the
 * schema refuses the window where the list has always checked it, after the dates themselves
 * and before the parameters that follow them.
 */
const INVERTED_WINDOW = 'startdate>enddate';

/** The list's parameters (SPEC §2.1, §5), from the query or (GetTrips) the JSON body. */
export const TripListParameters = Type.Object({
  ...ActingUser,
  includecanceledtrips: flag('includeCanceledTrips'),
  includevirtualtrip: flag('includeVirtualTrip'),
  // Guest trips are listed only with includeGuestBookings=true (COMPATIBILITY.md).
  includeguestbookings: flag('includeGuestBookings'),
  startdate: date('startDate'),
  enddate: date('endDate'),
  [INVERTED_WINDOW]: Type.Optional(
    Type.Never({ invalidMessage: 'startDate must not be after endDate.' }),
  ),
  createdafterdate: date('createdAfterDate'),
  createdbeforedate: date('createdBeforeDate'),
  lastmodifieddate: date('lastModifiedDate'),
  bookingtype: Type.Optional(
    QueryEnum(SEGMENT_TYPES, {
      trim: true,
      blank: 'invalid',
      invalid:
        "bookingType must be one of Air, Car, Dining, Hotel, Parking, Rail, Ride, Event, Travel (got '{value}').",
    }),
  ),
  tripid: Type.Optional(Type.String()),
  includemetadata: flag('includeMetadata'),
  page: pageNumber('Page', MAX_PAGE),
  itemsperpage: pageNumber('ItemsPerPage', MAX_ITEMS_PER_PAGE),
  // Itinera's extension (COMPATIBILITY.md "Expense readiness"): Concur's expense rule as a filter.
  readytoexpense: Type.Optional(
    QueryBoolean({
      trim: true,
      blank: 'invalid',
      invalid: "readyToExpense must be true or false (got '{value}').",
      description:
        "Itinera's extension: true lists only the trips that can be expensed now (Concur's " +
        'rule: after the trip ends, with a Car, Hotel or Ride, or air with a ticket coupon OPEN, ' +
        "USED or PRTD; ticketed air at once with the company's PreExpenseAir), false only the others.",
    }),
  ),
});
export type TripListParameters = Static<typeof TripListParameters>;

/** The list's headers: `Accept` chooses a JSON or an XML answer. */
export const TripListHeaders = Type.Object({ accept: Type.Optional(Type.String()) });

function asDate(value: unknown): ListDate | undefined {
  return typeof value === 'object' && value !== null ? (value as ListDate) : undefined;
}

/**
 * A `preValidation` hook, after the parameters are converted into `request[part]`: marks an
 * inverted window for the schema to refuse (see INVERTED_WINDOW). A client cannot set the mark.
 */
export function markInvertedWindow(part: 'query' | 'body') {
  return async function markInvertedWindowHook(request: FastifyRequest): Promise<void> {
    const values = request[part] as Record<string, unknown>;
    delete values[INVERTED_WINDOW];
    if (invertedWindow(asDate(values.startdate), asDate(values.enddate))) {
      values[INVERTED_WINDOW] = true;
    }
  };
}

/** The list's checked parameters as the list service takes them. */
export function listQueryOf(parameters: TripListParameters): TripListQuery {
  return {
    includeCanceledTrips: parameters.includecanceledtrips,
    includeVirtualTrip: parameters.includevirtualtrip,
    includeGuestBookings: parameters.includeguestbookings,
    startDate: parameters.startdate,
    endDate: parameters.enddate,
    createdAfterDate: parameters.createdafterdate,
    createdBeforeDate: parameters.createdbeforedate,
    lastModifiedDate: parameters.lastmodifieddate,
    bookingType: parameters.bookingtype,
    tripId: parameters.tripid,
    includeMetadata: parameters.includemetadata,
    page: parameters.page,
    itemsPerPage: parameters.itemsperpage,
    readyToExpense: parameters.readytoexpense,
  };
}

/** The trip id in the path, as sent: an id holding NUL is unknown (404), not malformed. */
export const TripPath = Type.Object({ tripId: Type.String() });

/** Trip details (SPEC §2.2): `systemFormat=Tripit` asks for TripIt's format. */
export const TripDetailsQuery = Type.Object({
  ...ActingUser,
  systemformat: Type.Optional(
    QueryEnum(['Tripit'], {
      trim: true,
      invalid: "systemFormat must be Tripit when sent (got '{trimmed}').",
    }),
  ),
});

const tripId = QueryText({ trim: true, minLength: 1, invalid: 'tripId must not be empty.' });

/** Posting a trip (SPEC §2.3, §2.4) or a booking (SPEC §2.6): with `tripId`, into that trip. */
export const TripWriteQuery = Type.Object({ ...ActingUser, tripid: Type.Optional(tripId) });

/** Cancelling a trip (SPEC §2.5). */
export const TripCancelQuery = Type.Object({
  ...ActingUser,
  tripid: QueryText({
    trim: true,
    minLength: 1,
    missing: 'tripId is required to cancel a trip.',
    invalid: 'tripId must not be empty.',
  }),
});

/**
 * A parameter a booking cancel needs. Absent, it reads as empty (Ajv's `default`) and so gets
 * the same message, in its place: Ajv checks `required` before any property, which would name
 * a missing confirmationNumber before a blank bookingSource.
 */
const requiredToCancel = (name: string): TString => ({
  ...QueryText({ trim: true, minLength: 1, invalid: `${name} is required to cancel a booking.` }),
  default: '',
});

/** Cancelling a booking (SPEC §2.7): by booking source and confirmation number. */
export const BookingCancelQuery = Type.Object({
  ...ActingUser,
  bookingsource: requiredToCancel('bookingSource'),
  confirmationnumber: requiredToCancel('confirmationNumber'),
});
