/**
 * Trips and their bookings in SQL. The only trip code that touches the database; every
 * function takes the executor (database or open transaction) first.
 */
import { sql, type Updateable } from 'kysely';
import type {
  BookingRow,
  Executor,
  NewBooking,
  NewTrip,
  TripRow,
  TripsTable,
} from '../../db/database.js';

/** Finds a trip by id. */
export function findTripById(db: Executor, id: string): Promise<TripRow | undefined> {
  return db.selectFrom('trips').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The bookings of a trip in their posted order. */
export function findBookingsOfTrip(db: Executor, tripId: string): Promise<BookingRow[]> {
  return db
    .selectFrom('bookings')
    .selectAll()
    .where('trip_id', '=', tripId)
    .orderBy('position')
    .execute();
}

/** Inserts a trip row. */
export async function insertTrip(db: Executor, trip: NewTrip): Promise<void> {
  await db.insertInto('trips').values(trip).execute();
}

/** Updates a trip row. */
export async function updateTrip(
  db: Executor,
  id: string,
  values: Omit<Updateable<TripsTable>, 'id'>,
): Promise<void> {
  await db.updateTable('trips').set(values).where('id', '=', id).execute();
}

/** Inserts booking rows. */
export async function insertBookings(db: Executor, bookings: readonly NewBooking[]): Promise<void> {
  if (bookings.length === 0) return;
  await db
    .insertInto('bookings')
    .values([...bookings])
    .execute();
}

/** Replaces a booking's document. */
export async function updateBookingDocument(
  db: Executor,
  id: string,
  document: string,
  modifiedAt: number,
): Promise<void> {
  await db
    .updateTable('bookings')
    .set({ document, modified_at: modifiedAt })
    .where('id', '=', id)
    .execute();
}

/** Deletes every booking of a trip. */
export async function deleteBookingsOfTrip(db: Executor, tripId: string): Promise<void> {
  await db.deleteFrom('bookings').where('trip_id', '=', tripId).execute();
}

export interface TripListFilter {
  /** Only this traveller's trips, or every trip of these companies. */
  ownerId?: string;
  companyIds: readonly string[];
  /** Trip statuses left out (cancelled, virtual … unless asked for). */
  excludedStatuses: readonly number[];
  /** Overlap window: trips ending on/after `from` and starting on/before `to`. */
  from?: number;
  to?: number;
  createdFrom?: number;
  createdTo?: number;
  modifiedFrom?: number;
  bookingType?: string;
  tripId?: string;
  /** Only trips of no agency or of this one (a TMC app's agency). */
  agencyId?: string;
}

export interface TripListRow {
  id: string;
  name: string;
  status: number;
  modified_at: number;
  summary: string;
  login_id: string;
  first_name: string | null;
  last_name: string | null;
}

function filtered(db: Executor, filter: TripListFilter) {
  let query = db.selectFrom('trips').where('trips.company_id', 'in', [...filter.companyIds]);
  if (filter.ownerId !== undefined) query = query.where('trips.owner_id', '=', filter.ownerId);
  if (filter.excludedStatuses.length > 0) {
    query = query.where('trips.status', 'not in', [...filter.excludedStatuses]);
  }
  if (filter.from !== undefined) query = query.where('trips.end_at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('trips.start_at', '<=', filter.to);
  if (filter.createdFrom !== undefined) {
    query = query.where('trips.created_at', '>=', filter.createdFrom);
  }
  if (filter.createdTo !== undefined)
    query = query.where('trips.created_at', '<=', filter.createdTo);
  if (filter.modifiedFrom !== undefined) {
    query = query.where('trips.modified_at', '>=', filter.modifiedFrom);
  }
  if (filter.bookingType !== undefined) {
    query = query.where('trips.booking_types', 'like', `%,${filter.bookingType},%`);
  }
  if (filter.tripId !== undefined) query = query.where('trips.id', '=', filter.tripId);
  const agencyId = filter.agencyId;
  if (agencyId !== undefined) {
    query = query.where((eb) =>
      eb.or([eb('trips.agency_id', 'is', null), eb('trips.agency_id', '=', agencyId)]),
    );
  }
  return query;
}

/** Counts the trips matching a list filter. */
export async function countTrips(db: Executor, filter: TripListFilter): Promise<number> {
  const row = await filtered(db, filter)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One page of trip summaries, ordered by start (undated trips last), then id. */
export function listTrips(
  db: Executor,
  filter: TripListFilter,
  page: { limit: number; offset: number },
): Promise<TripListRow[]> {
  const last = Number.MAX_SAFE_INTEGER;
  // The page first, then its owners: the join touches one page of rows, not every match.
  const pageOfTrips = filtered(db, filter)
    .select([
      'trips.id',
      'trips.name',
      'trips.status',
      'trips.modified_at',
      'trips.summary',
      'trips.owner_id',
      'trips.start_at',
    ])
    .orderBy(sql`coalesce(trips.start_at, ${last})`)
    .orderBy('trips.id')
    .limit(page.limit)
    .offset(page.offset);
  return db
    .selectFrom(pageOfTrips.as('t'))
    .innerJoin('users', 'users.id', 't.owner_id')
    .select([
      't.id',
      't.name',
      't.status',
      't.modified_at',
      't.summary',
      'users.login_id',
      'users.first_name',
      'users.last_name',
    ])
    .orderBy(sql`coalesce(t.start_at, ${last})`)
    .orderBy('t.id')
    .execute();
}
