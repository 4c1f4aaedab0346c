/**
 * Bookings across a traveller's trips, for the merge engine: look-up by identity, the trips a
 * booking's dates overlap, and moving bookings between trips. Takes the executor first; the
 * trip rows themselves are written through the trip repository.
 */
import { sql } from 'kysely';
import { insertRow, selectCompiled, updateRow } from '../../../db/compiled-once.js';
import type { BookingRow, Executor, NewBooking, TripRow } from '../../../db/database.js';
import {
  earliestStartEndingAfter,
  ofNoAgencyOr,
  TRIP_COLUMNS_BUT_RENDERING,
} from './trip.repository.js';

/**
 * A traveller's copies of one booking (BookingSource + RecordLocator), oldest first. Trips
 * posted whole may each hold a copy; the merge engine works on the oldest.
 */
export async function findBookingsByIdentity(
  db: Executor,
  ownerId: string,
  source: string,
  recordLocator: string,
): Promise<BookingRow[]> {
  const rows = await selectCompiled<BookingRow>(
    db,
    'bookings-by-identity',
    (db, [owner, bookingSource, locator]) =>
      db
        .selectFrom('bookings')
        .selectAll()
        .where('owner_id', '=', owner as string)
        .where('source', '=', bookingSource as string)
        .where('record_locator', '=', locator as string),
    [ownerId, source, recordLocator],
  );
  // Sorted here: rarely more than one row, and an ORDER BY made SQLite build a sorter for
  // every booking post (a third of the statement's time).
  return rows.sort(
    (a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** A traveller's bookings from one source (the cancel endpoint matches confirmation numbers). */
export function findBookingsOfSource(
  db: Executor,
  ownerId: string,
  source: string,
): Promise<BookingRow[]> {
  return db
    .selectFrom('bookings')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .where('source', '=', source)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export interface OverlapQuery {
  companyId: string;
  ownerId: string;
  from: number;
  to: number;
  /** Statuses a booking may join (live trips only). */
  statuses: readonly number[];
  /** A TMC app's agency: trips of other agencies are left alone. */
  agencyId?: string;
}

/**
 * The query behind `findOverlappingTrips`, for callers that want its plan (the benchmark shows
 * that it runs on the owner/window index).
 */
export function overlappingTripsQuery(db: Executor, query: OverlapQuery) {
  // Whole rows, so that the chosen trip is at hand without a second look-up, except the stored
  // rendering: the merge rebuilds and re-renders the trip, and the rendering is the largest
  // column (read from overflow pages).
  let select = db
    .selectFrom('trips')
    .select([...TRIP_COLUMNS_BUT_RENDERING, sql<string | null>`null`.as('rendering')])
    .where('company_id', '=', query.companyId)
    .where('owner_id', '=', query.ownerId)
    .where('start_at', '>=', earliestStartEndingAfter(query.from, [query.companyId]))
    .where('end_at', '>=', query.from)
    .where('start_at', '<=', query.to)
    .where('status', 'in', [...query.statuses]);
  if (query.agencyId !== undefined) select = select.where(ofNoAgencyOr(query.agencyId));
  return select;
}

/**
 * The traveller's live trips whose dates overlap [from, to] (inclusive), through the
 * owner/window index.
 */
export function findOverlappingTrips(db: Executor, query: OverlapQuery): Promise<TripRow[]> {
  const { agencyId, statuses } = query;
  const byAgency = agencyId !== undefined;
  return selectCompiled<TripRow>(
    db,
    `overlapping-trips:${statuses.length}:${byAgency ? 'agency' : 'any'}`,
    (db, [companyId, ownerId, from, to, ...rest]) =>
      overlappingTripsQuery(db, {
        companyId: companyId as string,
        ownerId: ownerId as string,
        from: from as unknown as number,
        to: to as unknown as number,
        statuses: rest.slice(0, statuses.length) as unknown as number[],
        agencyId: byAgency ? rest[statuses.length] : undefined,
      }),
    [
      query.companyId,
      query.ownerId,
      query.from,
      query.to,
      ...statuses,
      ...(byAgency ? [agencyId] : []),
    ],
  );
}

/** Inserts one booking row. */
export async function insertBooking(db: Executor, booking: NewBooking): Promise<void> {
  await insertRow(db, 'bookings', booking);
}

/** Replaces a booking's document and index values. */
export async function updateBooking(
  db: Executor,
  id: string,
  values: Pick<
    NewBooking,
    'document' | 'start_at' | 'end_at' | 'segment_types' | 'modified_at' | 'app_id'
  >,
): Promise<void> {
  await updateRow(db, 'bookings', id, values);
}

/** Deletes one booking. */
export async function deleteBooking(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('bookings').where('id', '=', id).execute();
}

/**
 * Moves every booking of `fromTripId` into `toTripId`, after its bookings. Copies of one
 * identity already in the target are dropped from the source trip first (a trip holds an
 * identity once; the target's copy stays).
 */
export async function moveBookings(
  db: Executor,
  fromTripId: string,
  toTripId: string,
  firstPosition: number,
): Promise<void> {
  const target = await db
    .selectFrom('bookings')
    .select(['source', 'record_locator'])
    .where('trip_id', '=', toTripId)
    .execute();
  const taken = new Set(target.map((b) => `${b.source}\u0000${b.record_locator}`));
  const moving = await db
    .selectFrom('bookings')
    .select(['id', 'source', 'record_locator'])
    .where('trip_id', '=', fromTripId)
    .orderBy('position')
    .execute();
  let position = firstPosition;
  for (const booking of moving) {
    if (taken.has(`${booking.source}\u0000${booking.record_locator}`)) {
      await deleteBooking(db, booking.id);
      continue;
    }
    await db
      .updateTable('bookings')
      .set({ trip_id: toTripId, position: position++ })
      .where('id', '=', booking.id)
      .execute();
  }
}

/** Deletes a trip (its bookings go with it). */
export async function deleteTrip(db: Executor, tripId: string): Promise<void> {
  await db.deleteFrom('bookings').where('trip_id', '=', tripId).execute();
  await db.deleteFrom('trips').where('id', '=', tripId).execute();
}
