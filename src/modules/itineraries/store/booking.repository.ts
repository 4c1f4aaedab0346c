/**
 * The `bookings` table: the only code that maps booking rows to records and back. Every
 * function takes the executor (database or open transaction) first.
 */
import { runCompiled, selectCompiled, updateRow } from '../../../db/compiled-once.js';
import type { BookingRow, Executor, NewBooking } from '../../../db/database.js';
import { readJson } from '../../../db/database.js';
import type { XmlNode } from '../../../xml/document.js';
import type { BookingRecord } from '../rules/records.js';
import { typesColumn, typesOfColumn } from './types-column.js';

/** Every booking column, in the order an INSERT binds them. */
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
  'guest_key',
] as const satisfies readonly (keyof BookingRow)[];

/** Maps a row to its record. */
function bookingFromRow(row: BookingRow): BookingRecord {
  return {
    id: row.id,
    tripId: row.trip_id,
    companyId: row.company_id,
    ownerId: row.owner_id,
    source: row.source,
    recordLocator: row.record_locator,
    appId: row.app_id,
    position: row.position,
    startAt: row.start_at,
    endAt: row.end_at,
    segmentTypes: typesOfColumn(row.segment_types),
    createdAt: row.created_at,
    modifiedAt: row.modified_at,
    document: readJson<XmlNode>(row.document),
    guestKey: row.guest_key,
  };
}

/** Maps a record to its row. */
function bookingToRow(booking: BookingRecord): Required<NewBooking> {
  return {
    id: booking.id,
    trip_id: booking.tripId,
    company_id: booking.companyId,
    owner_id: booking.ownerId,
    source: booking.source,
    record_locator: booking.recordLocator,
    app_id: booking.appId,
    position: booking.position,
    start_at: booking.startAt,
    end_at: booking.endAt,
    segment_types: typesColumn(booking.segmentTypes),
    created_at: booking.createdAt,
    modified_at: booking.modifiedAt,
    document: JSON.stringify(booking.document),
    guest_key: booking.guestKey,
  };
}

/** The bookings of a trip in their posted order. */
export async function findBookingsOfTrip(db: Executor, tripId: string): Promise<BookingRecord[]> {
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
  return rows.sort((a, b) => a.position - b.position).map(bookingFromRow);
}

/**
 * A traveller's copies of one booking (BookingSource + RecordLocator), oldest first. Trips
 * posted whole may each hold a copy; the merge engine works on the oldest.
 */
export async function findBookingsByIdentity(
  db: Executor,
  ownerId: string,
  source: string,
  recordLocator: string,
): Promise<BookingRecord[]> {
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
  return rows
    .sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map(bookingFromRow);
}

/** A traveller's bookings from one source (the cancel endpoint matches confirmation numbers). */
export async function findBookingsOfSource(
  db: Executor,
  ownerId: string,
  source: string,
): Promise<BookingRecord[]> {
  const rows = await db
    .selectFrom('bookings')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .where('source', '=', source)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(bookingFromRow);
}

/** Inserts bookings in one statement, compiled once per database and number of rows. */
export async function insertBookings(
  db: Executor,
  bookings: readonly BookingRecord[],
): Promise<void> {
  if (bookings.length === 0) return;
  const parameters: unknown[] = [];
  for (const booking of bookings) {
    const row = bookingToRow(booking);
    for (const column of BOOKING_COLUMNS) parameters.push(row[column]);
  }
  const width = BOOKING_COLUMNS.length;
  await runCompiled(
    db,
    `insert-bookings:${bookings.length}`,
    (db, placeholders) =>
      db
        .insertInto('bookings')
        .values(
          bookings.map(
            (_, row) =>
              Object.fromEntries(
                BOOKING_COLUMNS.map((column, i) => [column, placeholders[row * width + i]]),
              ) as never,
          ),
        ),
    parameters,
  );
}

/** The values a write changes in a booking. */
export type BookingChanges = Partial<
  Pick<
    BookingRecord,
    'document' | 'startAt' | 'endAt' | 'segmentTypes' | 'modifiedAt' | 'appId' | 'guestKey'
  >
>;

/** Updates a booking's values. */
export async function updateBooking(
  db: Executor,
  id: string,
  changes: BookingChanges,
): Promise<void> {
  await updateRow(db, 'bookings', id, {
    document: changes.document && JSON.stringify(changes.document),
    start_at: changes.startAt,
    end_at: changes.endAt,
    segment_types: changes.segmentTypes && typesColumn(changes.segmentTypes),
    modified_at: changes.modifiedAt,
    app_id: changes.appId,
    guest_key: changes.guestKey,
  });
}

/** Deletes one booking. */
export async function deleteBooking(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('bookings').where('id', '=', id).execute();
}

/** Deletes every booking of a trip. */
export async function deleteBookingsOfTrip(db: Executor, tripId: string): Promise<void> {
  await db.deleteFrom('bookings').where('trip_id', '=', tripId).execute();
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

/** The bookings of several trips (one query), each trip's in posted order (Insights reads). */
export async function findBookingsOfTrips(
  db: Executor,
  tripIds: readonly string[],
): Promise<BookingRecord[]> {
  if (tripIds.length === 0) return [];
  const rows = await db
    .selectFrom('bookings')
    .selectAll()
    .where('trip_id', 'in', [...tripIds])
    .execute();
  return rows
    .sort((a, b) =>
      a.trip_id < b.trip_id ? -1 : a.trip_id > b.trip_id ? 1 : a.position - b.position,
    )
    .map(bookingFromRow);
}
