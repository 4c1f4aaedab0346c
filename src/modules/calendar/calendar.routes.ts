/**
 * Calendar endpoints (docs/CALENDAR.md): a traveller's feed, fetched by calendar programs with
 * the secret token of its URL and nothing else; the API giving a user token's holder that URL
 * and rotating it; and one trip as an `.ics` download, with the access rules of the v1.1 trip
 * details. Errors as JSON; an unknown feed token is a bare 404.
 */
import { createHash } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { wallClockToMs } from '../../domain/dates.js';
import { AppError, ErrorCode, errors } from '../../errors.js';
import { baseUrlOf } from '../../http/base-url.js';
import { ifNoneMatchHits, ifNoneMatchOf } from '../../http/conditional/conditional-requests.js';
import { leaf, type XmlNode } from '../../xml/document.js';
import { type CalendarTrip, tripEvents } from './calendar-events.js';
import { type CalendarFeedService, FEED_PATH_PREFIX } from './calendar-feed.service.js';
import { findFeedTrips } from './calendar-trips.repository.js';
import { presentCalendar } from './ics.presenter.js';

/** Where one trip's download is served (see index.ts `tripCalendarPath`). */
export const TRIP_CALENDAR_PATH_PREFIX = '/calendar/v1/trips';
/** The domain part of every event UID. */
const UID_HOST = 'itinera';
const ICS_TYPE = 'text/calendar; charset=utf-8';

/** Who calls, as the auth hook sets it. */
type Principal = NonNullable<FastifyRequest['principal']>;

/** A trip as the itineraries module's details read it (its `TripView`, structurally). */
export interface OpenedTripView {
  id: string;
  status: number;
  version?: number | undefined;
  document: XmlNode;
  bookings: XmlNode[];
}

export interface CalendarRoutesOptions {
  db: Kysely<Database>;
  feeds: CalendarFeedService;
  /** The trip as the v1.1 details route reads it for the caller (404 when out of reach). */
  openTrip: (principal: Principal, tripId: string, acting: ActingUser) => Promise<OpenedTripView>;
  publicBaseUrl?: string | undefined;
}

const FeedReply = Type.Object({
  url: Type.String({ format: 'uri', description: 'The feed URL; anyone holding it reads it.' }),
});

function userOf(request: FastifyRequest): string {
  const user = request.principal?.user;
  if (!user) throw errors.forbidden('A calendar feed belongs to a user: send a user token.');
  return user.id;
}

/** Sends a calendar with a strong ETag of its bytes, or 304 when the client has them. */
function sendCalendar(request: FastifyRequest, reply: FastifyReply, body: string, file?: string) {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
  reply.header('etag', etag).header('cache-control', 'private, no-cache');
  if (ifNoneMatchHits(ifNoneMatchOf(request), etag)) return reply.status(304).send();
  reply.type(ICS_TYPE);
  if (file) reply.header('content-disposition', `attachment; filename="${file}"`);
  return reply.send(body);
}

function calendarTripOf(view: OpenedTripView): CalendarTrip {
  const modified = leaf(view.document, 'DateModifiedUtc');
  return {
    id: view.id,
    name: leaf(view.document, 'TripName') ?? '',
    status: view.status,
    version: view.version ?? 1,
    modifiedAt: modified ? wallClockToMs(modified) : 0,
    bookings: view.bookings,
  };
}

/**
 * The trip for the caller, or 404: where the details route says 403 (someone else's trip), the
 * download says no more than that there is no such trip for the caller.
 */
async function openOr404(
  options: CalendarRoutesOptions,
  principal: Principal,
  tripId: string,
  acting: ActingUserQuery,
) {
  try {
    return await options.openTrip(principal, tripId, {
      useridType: acting.userid_type,
      useridValue: acting.userid_value,
    });
  } catch (error) {
    if (error instanceof AppError && error.httpStatus === 403) throw errors.tripNotFound(tripId);
    throw error;
  }
}

/**
 * Whom a company-level token acts for, as on the v1.1 trip details (SPEC §2.2): Concur's
 * `userid_type=login&userid_value=<login id>`.
 */
const ActingUserQuerySchema = Type.Object({
  userid_type: Type.Optional(Type.String({ maxLength: 32 })),
  userid_value: Type.Optional(Type.String({ maxLength: 255 })),
});

/** The `userid_*` parameters of a request. */
type ActingUserQuery = { userid_type?: string; userid_value?: string };

/** Whom the call acts for, as the itinerary services take it. */
export type ActingUser = { useridType?: string | undefined; useridValue?: string | undefined };

/** Registers the calendar routes. */
export async function calendarRoutes(app: FastifyInstance, options: CalendarRoutesOptions) {
  const { db, feeds } = options;
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const absolute = (request: FastifyRequest, path: string) =>
    `${options.publicBaseUrl ?? baseUrlOf(request)}${path}`;

  typed.get(
    `${FEED_PATH_PREFIX}/:file`,
    {
      config: { errorFormat: 'json' },
      schema: {
        summary: "A traveller's calendar feed (iCalendar; the URL is the credential)",
        description:
          'One event per segment of the traveller’s trips (docs/CALENDAR.md). No token: the ' +
          'secret in the path is the credential. ETag and If-None-Match for polling.',
        tags: ['Calendar'],
        params: Type.Object({ file: Type.String({ maxLength: 64 }) }),
        response: {
          200: { description: 'The feed (text/calendar).', type: 'string' },
          304: { description: 'Not modified.', type: 'null' },
        },
      },
    },
    async (request, reply) => {
      const { file } = request.params;
      const token = file.endsWith('.ics') ? file.slice(0, -4) : '';
      const userId = token ? await feeds.userOfToken(db, token) : undefined;
      // Unknown, forged and rotated tokens alike: a 404 that tells nothing more.
      if (!userId) throw new AppError(ErrorCode.NotFound, 404, 'Not found.');
      const trips = await findFeedTrips(db, userId, Date.now());
      const events = trips.flatMap((trip) => tripEvents(trip, UID_HOST));
      return sendCalendar(request, reply, presentCalendar('Itinera trips', events));
    },
  );

  typed.get(
    '/calendar/v1/feed',
    {
      config: { scope: 'ITINER', rateLimited: true, errorFormat: 'json' },
      schema: {
        summary: "The caller's calendar feed URL (made on first request)",
        tags: ['Calendar'],
        response: { 200: FeedReply },
      },
    },
    async (request) => ({ url: absolute(request, await feeds.feedPath(db, userOf(request))) }),
  );

  typed.post(
    '/calendar/v1/feed/rotate',
    {
      config: { scope: 'ITINER', rateLimited: true, errorFormat: 'json' },
      schema: {
        summary: "Replaces the caller's calendar feed URL; the old one answers 404",
        tags: ['Calendar'],
        response: { 200: FeedReply },
      },
    },
    async (request) => ({ url: absolute(request, await feeds.rotate(db, userOf(request))) }),
  );

  typed.get(
    `${TRIP_CALENDAR_PATH_PREFIX}/:file`,
    {
      config: { scope: 'ITINER', rateLimited: true, errorFormat: 'json' },
      schema: {
        summary: 'One trip as an iCalendar (.ics) download',
        description: 'The access rules of the v1.1 trip details: a trip out of reach is 404.',
        tags: ['Calendar'],
        params: Type.Object({ file: Type.String({ maxLength: 200 }) }),
        querystring: ActingUserQuerySchema,
        response: {
          200: { description: 'The trip (text/calendar).', type: 'string' },
          304: { description: 'Not modified.', type: 'null' },
        },
      },
    },
    async (request, reply) => {
      const { file } = request.params;
      const tripId = file.endsWith('.ics') ? file.slice(0, -4) : '';
      if (!tripId || tripId.includes('\u0000')) throw errors.tripNotFound(tripId);
      if (!request.principal) throw errors.unauthorized();
      const opened = await openOr404(options, request.principal, tripId, request.query);
      const trip = calendarTripOf(opened);
      const body = presentCalendar(trip.name || 'Trip', tripEvents(trip, UID_HOST));
      return sendCalendar(request, reply, body, `trip-${trip.id.replace(/[^\w-]/g, '_')}.ics`);
    },
  );
}
