/**
 * Trips and their bookings in SQL. The only trip code that touches the database; every
 * function takes the executor (database or open transaction) first.
 */
import { CompiledQuery, type ExpressionBuilder, type Kysely, sql, type Updateable } from 'kysely';
import { runCompiled, selectCompiled, updateRow } from '../../../db/compiled-once.js';
import type {
  BookingRow,
  BookingsTable,
  Database,
  Executor,
  NewBooking,
  NewTrip,
  TripRow,
  TripsTable,
} from '../../../db/database.js';

/** Finds a trip by id. */
export async function findTripById(db: Executor, id: string): Promise<TripRow | undefined> {
  const [row] = await selectCompiled<TripRow>(
    db,
    'trip-by-id',
    (db, [tripId]) =>
      db
        .selectFrom('trips')
        .selectAll()
        .where('id', '=', tripId as string),
    [id],
  );
  return row;
}

/** The bookings of a trip in their posted order. */
export async function findBookingsOfTrip(db: Executor, tripId: string): Promise<BookingRow[]> {
  const rows = await selectCompiled<BookingRow>(
    db,
    'bookings-of-trip',
    (db, [trip]) =>
      db
        .selectFrom('bookings')
        .selectAll()
        .where('trip_id', '=', trip as string),
    [tripId],
  );
  // A trip's few bookings are put in order here rather than by an SQL sorter (see
  // findBookingsByIdentity).
  return rows.sort((a, b) => a.position - b.position);
}

/** Updates a trip row. */
export async function updateTrip(
  db: Executor,
  id: string,
  values: Omit<Updateable<TripsTable>, 'id'>,
): Promise<void> {
  await updateRow(db, 'trips', id, values);
  await widenTripSpanBound(db, id, spanOf(values.start_at, values.end_at));
}

function spanOf(start: number | null | undefined, end: number | null | undefined): number {
  return start != null && end != null ? end - start : 0;
}

/**
 * Keeps `companies.trip_span_bound` at least as long as a trip just written (see the
 * migration 2026-11-23T1510): an UPDATE that matches no row unless the trip is the longest yet,
 * so it usually writes nothing.
 */
async function widenTripSpanBound(db: Executor, tripId: string, span: number): Promise<void> {
  if (span <= 0) return;
  await runCompiled(
    db,
    'widen-trip-span-bound',
    (db, [bound, trip]) =>
      db
        .updateTable('companies')
        .set({ trip_span_bound: bound as unknown as number })
        .where('id', '=', (eb) =>
          eb
            .selectFrom('trips')
            .select('company_id')
            .where('id', '=', trip as string),
        )
        .where('trip_span_bound', '<', bound as unknown as number),
    [span, tripId],
  );
}

/** Trips made by no agency or by `agencyId`: what a TMC app of that agency may see. */
export function ofNoAgencyOr(agencyId: string) {
  return (eb: ExpressionBuilder<Database, 'trips'>) =>
    eb.or([eb('trips.agency_id', 'is', null), eb('trips.agency_id', '=', agencyId)]);
}

/**
 * The earliest start a trip ending on or after `from` can have: `from` less the longest trip
 * of these companies. Window queries add it so that the index walk stops there.
 */
export function earliestStartEndingAfter(from: number, companyIds: readonly string[]) {
  return sql<number>`${from} - (select coalesce(max(trip_span_bound), 0) from companies where id in (${sql.join([...companyIds])}))`;
}

/** Columns of a trip INSERT, in the order its parameters are bound. */
const TRIP_COLUMNS = [
  'id',
  'company_id',
  'owner_id',
  'name',
  'status',
  'start_at',
  'end_at',
  'created_at',
  'modified_at',
  'booking_types',
  'triplink_locator',
  'summary',
  'document',
  'rendering',
  'agency_id',
  'origin',
] as const satisfies readonly (keyof TripsTable)[];

/** Every trip column but the stored rendering (for readers that render anew). */
export const TRIP_COLUMNS_BUT_RENDERING = TRIP_COLUMNS.filter(
  (column): column is Exclude<(typeof TRIP_COLUMNS)[number], 'rendering'> => column !== 'rendering',
);

/** Columns of a booking INSERT, in the order its parameters are bound. */
const BOOKING_COLUMNS = [
  'id',
  'trip_id',
  'company_id',
  'owner_id',
  'source',
  'record_locator',
  'app_id',
  'position',
  'start_at',
  'end_at',
  'segment_types',
  'created_at',
  'modified_at',
  'document',
] as const satisfies readonly (keyof BookingsTable)[];

/** A new trip row with every column given (none left to its default). */
export type TripInsert = { [K in (typeof TRIP_COLUMNS)[number]]-?: Exclude<NewTrip[K], undefined> };
/** A new booking row with every column given (none left to its default). */
export type BookingInsert = {
  [K in (typeof BOOKING_COLUMNS)[number]]-?: Exclude<NewBooking[K], undefined>;
};

/** Booking counts whose INSERT text is kept; larger trips compile theirs each time. */
const CACHED_BOOKING_ROWS = 32;

/**
 * The INSERTs of a trip write, compiled once per database: through the query builder, Kysely
 * builds and compiles each statement anew on every call (~7 µs apiece, inside the write
 * transaction). Statements are compiled by the database they are made for (its dialect's
 * placeholders) and run on whatever executor is given, typically the open transaction.
 */
export class TripInserts {
  private readonly tripSql: string;
  private readonly bookingSql = new Map<number, string>();

  constructor(private readonly db: Kysely<Database>) {
    this.tripSql = db.insertInto('trips').values(nullRow<NewTrip>(TRIP_COLUMNS)).compile().sql;
  }

  /** Inserts a trip row. */
  async insertTrip(executor: Executor, trip: TripInsert): Promise<void> {
    await executor.executeQuery(
      CompiledQuery.raw(
        this.tripSql,
        TRIP_COLUMNS.map((column) => trip[column]),
      ),
    );
    await widenTripSpanBound(executor, trip.id, spanOf(trip.start_at, trip.end_at));
  }

  /** Inserts booking rows, in one statement. */
  async insertBookings(executor: Executor, bookings: readonly BookingInsert[]): Promise<void> {
    if (bookings.length === 0) return;
    const parameters: unknown[] = [];
    for (const booking of bookings) {
      for (const column of BOOKING_COLUMNS) parameters.push(booking[column]);
    }
    await executor.executeQuery(CompiledQuery.raw(this.bookingText(bookings.length), parameters));
  }

  private bookingText(rows: number): string {
    let text = this.bookingSql.get(rows);
    if (text === undefined) {
      const template = Array.from({ length: rows }, () => nullRow<NewBooking>(BOOKING_COLUMNS));
      text = this.db.insertInto('bookings').values(template).compile().sql;
      if (rows <= CACHED_BOOKING_ROWS) this.bookingSql.set(rows, text);
    }
    return text;
  }
}

/**
 * A row of nulls in column order, for compiling only: each value becomes a placeholder. Not a
 * valid row (hence the cast); it is never executed.
 */
function nullRow<Row>(columns: readonly string[]): Row {
  return Object.fromEntries(columns.map((column) => [column, null])) as Row;
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
  if (filter.from !== undefined) {
    query = query
      .where('trips.start_at', '>=', earliestStartEndingAfter(filter.from, filter.companyIds))
      .where('trips.end_at', '>=', filter.from);
  }
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
  if (filter.agencyId !== undefined) query = query.where(ofNoAgencyOr(filter.agencyId));
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
  // Undated trips go last; a window leaves them out, and then the start index gives the order.
  const byStart =
    filter.from !== undefined || filter.to !== undefined
      ? sql`trips.start_at`
      : sql`coalesce(trips.start_at, ${last})`;
  // The page's ids first, from the start index alone; then the rows and owners of that page
  // only. Sorting whole rows (summaries included) of every match cost more than all the rest
  // of a 200-item page.
  const pageOfTrips = filtered(db, filter)
    .select(['trips.id', 'trips.start_at'])
    .orderBy(byStart)
    .orderBy('trips.id')
    .limit(page.limit)
    .offset(page.offset);
  return db
    .selectFrom(pageOfTrips.as('t'))
    .innerJoin('trips', 'trips.id', 't.id')
    .innerJoin('users', 'users.id', 'trips.owner_id')
    .select([
      'trips.id',
      'trips.name',
      'trips.status',
      'trips.modified_at',
      'trips.summary',
      'users.login_id',
      'users.first_name',
      'users.last_name',
    ])
    .orderBy(sql`coalesce(t.start_at, ${last})`)
    .orderBy('t.id')
    .execute();
}
