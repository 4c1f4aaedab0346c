/**
 * The trips a traveller's calendar feed shows, with their bookings' documents: the traveller's
 * own trips (not guest trips, not virtual ones) that ended at most a year ago or are undated,
 * most recent first, at most FEED_MAX_TRIPS.
 */
import { type Executor, readJson } from '../../db/database.js';
import { DAY_MS } from '../../domain/dates.js';
import { TripStatus } from '../../domain/trip-status.js';
import type { XmlNode } from '../../xml/document.js';
import type { CalendarTrip } from './calendar-events.js';

/** Trips in one feed at most: a calendar program polls it, it must stay small. */
export const FEED_MAX_TRIPS = 500;
/** How long after its end a trip stays in the feed. */
const FEED_PAST_MS = 366 * DAY_MS;

/** The feed's trips of `ownerId` at `now`. */
export async function findFeedTrips(
  db: Executor,
  ownerId: string,
  now: number,
): Promise<CalendarTrip[]> {
  const rows = await db
    .selectFrom('trips')
    .select(['id', 'name', 'status', 'version', 'modified_at'])
    .where('owner_id', '=', ownerId)
    .where('guest_key', 'is', null)
    .where('status', 'not in', [TripStatus.Virtual, TripStatus.VirtualCancelled])
    .where((eb) => eb.or([eb('end_at', 'is', null), eb('end_at', '>=', now - FEED_PAST_MS)]))
    .orderBy('start_at', 'desc')
    .orderBy('id')
    .limit(FEED_MAX_TRIPS)
    .execute();
  const bookings =
    rows.length === 0
      ? []
      : await db
          .selectFrom('bookings')
          .select(['trip_id', 'document'])
          .where(
            'trip_id',
            'in',
            rows.map((row) => row.id),
          )
          .orderBy('trip_id')
          .orderBy('position')
          .execute();
  const byTrip = new Map<string, XmlNode[]>();
  for (const b of bookings) {
    byTrip.set(b.trip_id, [...(byTrip.get(b.trip_id) ?? []), readJson<XmlNode>(b.document)]);
  }
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    status: row.status,
    version: Number(row.version),
    modifiedAt: row.modified_at,
    bookings: byTrip.get(row.id) ?? [],
  }));
}
