/**
 * The Insights reads' queries on the `trips` table: the trips a caller reaches, by id, in a
 * window (keyset pages in start order), and a traveller's latest trips. Every query leads with
 * the company (and the owner, for a traveller) and walks the start-ordered trip indexes
 * (`trips_company_start_idx`, `trips_owner_start_idx`); docs/INSIGHTS.md explains the bounds.
 * Booking documents are read through the itineraries module (`findBookingsOfTrips`).
 */
import { type SelectQueryBuilder, sql } from 'kysely';
import type { Database, Executor } from '../../db/database.js';
import { earliestStartEndingAfter, ofNoAgencyOr } from '../itineraries/index.js';

/** Which trips a caller reaches (docs/ACCESS.md, "Insights"). */
export interface InsightsReach {
  companyIds: readonly string[];
  /** A traveller's token: only their own trips. */
  ownerId?: string;
  /** A TMC app's agency: trips of no agency or of this one. */
  agencyId?: string;
  /** A TripLink supplier: only trips holding one of its bookings (same BookingSource). */
  bookingSource?: string;
}

/** A trip's place in start order. */
export interface TripStart {
  id: string;
  startAt: number;
}

type TripQuery<O> = SelectQueryBuilder<Database, 'trips', O>;

function reached<O>(query: TripQuery<O>, reach: InsightsReach, statuses: readonly number[]) {
  let q = query
    .where('trips.company_id', 'in', [...reach.companyIds])
    .where('trips.status', 'in', [...statuses]);
  if (reach.ownerId !== undefined) q = q.where('trips.owner_id', '=', reach.ownerId);
  if (reach.agencyId !== undefined) q = q.where(ofNoAgencyOr(reach.agencyId));
  const source = reach.bookingSource;
  if (source !== undefined) {
    // The booking identity index leads with the trip: one probe per trip.
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('bookings')
          .select(sql<number>`1`.as('one'))
          .whereRef('bookings.trip_id', '=', 'trips.id')
          .where(sql<string>`lower(trim(bookings.source))`, '=', source.trim().toLowerCase()),
      ),
    );
  }
  return q;
}

/** The trip `tripId` when the caller reaches it and it has one of `statuses`. */
export async function findTripInReach(
  db: Executor,
  reach: InsightsReach,
  tripId: string,
  statuses: readonly number[],
): Promise<{ id: string } | undefined> {
  return reached(db.selectFrom('trips').select('trips.id'), reach, statuses)
    .where('trips.id', '=', tripId)
    .executeTakeFirst();
}

/**
 * Up to `limit` trips overlapping [from, to] (ending on or after `from`, starting on or before
 * `to`), in (start, id) order, strictly after `after` when given.
 */
export async function tripsInWindow(
  db: Executor,
  reach: InsightsReach,
  window: { from: number; to: number },
  statuses: readonly number[],
  after: TripStart | undefined,
  limit: number,
): Promise<TripStart[]> {
  let query = reached(
    db.selectFrom('trips').select(['trips.id', 'trips.start_at']),
    reach,
    statuses,
  )
    // The walk starts at the window's start less the companies' longest trip.
    .where('trips.start_at', '>=', earliestStartEndingAfter(window.from, reach.companyIds))
    .where('trips.start_at', '<=', window.to)
    .where('trips.end_at', '>=', window.from);
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('trips.start_at', '>', after.startAt),
        eb.and([eb('trips.start_at', '=', after.startAt), eb('trips.id', '>', after.id)]),
      ]),
    );
  }
  const rows = await query.orderBy('trips.start_at').orderBy('trips.id').limit(limit).execute();
  return rows.map((row) => ({ id: row.id, startAt: Number(row.start_at) }));
}

/** A traveller's `limit` latest-starting trips (dated ones), latest first. */
export async function latestTripsOfOwner(
  db: Executor,
  reach: InsightsReach & { ownerId: string },
  statuses: readonly number[],
  limit: number,
): Promise<string[]> {
  const rows = await reached(db.selectFrom('trips').select('trips.id'), reach, statuses)
    .where('trips.start_at', 'is not', null)
    .orderBy('trips.start_at', 'desc')
    .orderBy('trips.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}
