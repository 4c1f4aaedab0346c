/**
 * Bookings across a traveller's trips, for the merge engine: look-up by identity, the trips a
 * booking's dates overlap, and moving bookings between trips. Takes the executor first; the
 * trip rows themselves are written through the trip repository.
 */
import type { BookingRow, Executor, NewBooking, TripRow } from '../../db/database.js';
import { earliestStartEndingAfter } from '../trips/trip.repository.js';

/**
 * A traveller's copies of one booking (BookingSource + RecordLocator), oldest first. Trips
 * posted whole may each hold a copy; the merge engine works on the oldest.
 */
export function findBookingsByIdentity(
  db: Executor,
  ownerId: string,
  source: string,
  recordLocator: string,
): Promise<BookingRow[]> {
  return db
    .selectFrom('bookings')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .where('source', '=', source)
    .where('record_locator', '=', recordLocator)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
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
  // Whole rows: the chosen trip is then at hand without a second look-up.
  let select = db
    .selectFrom('trips')
    .selectAll()
    .where('company_id', '=', query.companyId)
    .where('owner_id', '=', query.ownerId)
    .where('start_at', '>=', earliestStartEndingAfter(query.from, [query.companyId]))
    .where('end_at', '>=', query.from)
    .where('start_at', '<=', query.to)
    .where('status', 'in', [...query.statuses]);
  const agencyId = query.agencyId;
  if (agencyId !== undefined) {
    select = select.where((eb) =>
      eb.or([eb('agency_id', 'is', null), eb('agency_id', '=', agencyId)]),
    );
  }
  return select;
}

/**
 * The traveller's live trips whose dates overlap [from, to] (inclusive), through the
 * owner/window index.
 */
export function findOverlappingTrips(db: Executor, query: OverlapQuery): Promise<TripRow[]> {
  return overlappingTripsQuery(db, query).execute();
}

/** Inserts one booking row. */
export async function insertBooking(db: Executor, booking: NewBooking): Promise<void> {
  await db.insertInto('bookings').values(booking).execute();
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
  await db.updateTable('bookings').set(values).where('id', '=', id).execute();
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
