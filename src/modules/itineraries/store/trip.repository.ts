/**
 * The `trips` table: the only code that maps trip rows to records and back (documents are JSON
 * text on SQLite, jsonb on PostgreSQL). Every function takes the executor (database or open
 * transaction) first. The trip list's queries are in trip-list.repository.ts.
 */
import { type ExpressionBuilder, sql, type Transaction } from 'kysely';
import { runCompiled, selectCompiled, updateRow } from '../../../db/compiled-once.js';
import type { Database, Executor, NewTrip, TripRow } from '../../../db/database.js';
import { readJson } from '../../../db/database.js';
import type { XmlNode } from '../../../xml/document.js';
import { recordStoredTripChange } from '../feed/trip-feed.repository.js';
import type { TripRecord, TripWrite } from '../rules/records.js';
import * as readiness from './trip-readiness-columns.js';
import { bumpTripVersion } from './trip-version.repository.js';
import { typesColumn } from './types-column.js';

/** Every trip column, in the order an INSERT binds them. */
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
  'guest_key',
  'version',
  ...readiness.READINESS_COLUMNS,
] as const satisfies readonly (keyof TripRow)[];

/** The columns a record is read from (the list index and readiness columns are the list's own). */
const RECORD_COLUMNS = TRIP_COLUMNS.filter((column) => !readiness.LIST_ONLY_COLUMNS.has(column));

/** The record columns but the stored rendering (for readers that render anew). */
export const COLUMNS_BUT_RENDERING = RECORD_COLUMNS.filter((column) => column !== 'rendering');

/** A trip row as records are read from it. */
export type RecordRow = Pick<TripRow, (typeof RECORD_COLUMNS)[number]>;

/**
 * Maps a row to its record. The document is parsed when first read: a details GET that sends
 * the stored rendering, and the access checks before any write, never read it.
 */
export function tripFromRow(row: RecordRow): TripRecord {
  let document: XmlNode | undefined;
  return {
    id: row.id,
    companyId: row.company_id,
    ownerId: row.owner_id,
    name: row.name,
    status: row.status,
    startAt: row.start_at,
    endAt: row.end_at,
    createdAt: row.created_at,
    modifiedAt: row.modified_at,
    triplinkLocator: row.triplink_locator,
    agencyId: row.agency_id,
    origin: row.origin,
    get document(): XmlNode {
      document ??= readJson<XmlNode>(row.document);
      return document;
    },
    set document(value: XmlNode) {
      document = value;
    },
    rendering: row.rendering,
    version: Number(row.version),
  };
}

/** Finds a trip by id. */
export async function findTripById(db: Executor, id: string): Promise<TripRecord | undefined> {
  const row = await selectTripRow(db, id);
  return row && tripFromRow(row);
}

function selectTripRow(db: Executor, id: string): Promise<RecordRow | undefined> {
  return selectCompiled<RecordRow>(
    db,
    'trip-by-id',
    (db, [tripId]) =>
      db
        .selectFrom('trips')
        .select(RECORD_COLUMNS)
        .where('id', '=', tripId as string),
    [id],
  ).then((rows) => rows[0]);
}

/** A trip's row as `findKeepableTripRow` read it, to make records from with `tripFromKept`. */
export type KeptTripRow = Readonly<Omit<RecordRow, 'document'> & { document: string }>;

/**
 * Reads trip `id` as a row that may be kept and shared by requests (store/trip-read-cache.ts):
 * frozen, with its document as JSON text whatever the driver returned, so that every record
 * made from it parses a document of its own (PostgreSQL hands jsonb back already parsed).
 */
export async function findKeepableTripRow(
  db: Executor,
  id: string,
): Promise<KeptTripRow | undefined> {
  const row = await selectTripRow(db, id);
  if (!row) return undefined;
  const document = typeof row.document === 'string' ? row.document : JSON.stringify(row.document);
  return Object.freeze({ ...row, document });
}

/** A record of its own from a kept row (its document parsed when first read). */
export function tripFromKept(row: KeptTripRow): TripRecord {
  return tripFromRow(row);
}

/** Inserts a trip, in a statement compiled once per database. */
export async function insertTrip(db: Executor, trip: TripWrite): Promise<void> {
  const row: Required<NewTrip> = {
    id: trip.id,
    company_id: trip.companyId,
    owner_id: trip.ownerId,
    name: trip.name,
    status: trip.status,
    start_at: trip.startAt,
    end_at: trip.endAt,
    created_at: trip.createdAt,
    modified_at: trip.modifiedAt,
    booking_types: typesColumn(trip.bookingTypes),
    triplink_locator: trip.triplinkLocator,
    summary: JSON.stringify(trip.summary),
    document: JSON.stringify(trip.document),
    rendering: trip.rendering,
    agency_id: trip.agencyId,
    origin: trip.origin,
    guest_key: trip.guestKey,
    version: trip.version,
    ...readiness.readinessRow(trip),
  };
  await runCompiled(
    db,
    'insert-trip',
    (db, placeholders) =>
      db
        .insertInto('trips')
        .values(
          Object.fromEntries(TRIP_COLUMNS.map((column, i) => [column, placeholders[i]])) as never,
        ),
    TRIP_COLUMNS.map((column) => row[column]),
  );
}

/** The values a trip write-back changes (the trip's identity and origin never change). */
export type TripChanges = Partial<
  Pick<
    TripWrite,
    | 'name'
    | 'status'
    | 'startAt'
    | 'endAt'
    | 'modifiedAt'
    | 'bookingTypes'
    | 'summary'
    | 'document'
    | 'rendering'
    | 'guestKey'
    | 'expensableAt'
    | 'preExpensable'
  >
>;

/** Updates a trip's values and returns its new version (one more than it had). */
export async function updateTrip(db: Executor, id: string, changes: TripChanges): Promise<number> {
  await updateRow(db, 'trips', id, {
    name: changes.name,
    status: changes.status,
    start_at: changes.startAt,
    end_at: changes.endAt,
    modified_at: changes.modifiedAt,
    booking_types: changes.bookingTypes && typesColumn(changes.bookingTypes),
    summary: changes.summary && JSON.stringify(changes.summary),
    document: changes.document && JSON.stringify(changes.document),
    rendering: changes.rendering,
    guest_key: changes.guestKey,
    ...readiness.readinessChanges(changes),
  });
  return bumpTripVersion(db, id);
}

/**
 * Deletes a trip row (its bookings must be deleted first: booking.repository.ts), leaving a
 * `deleted` tombstone in the change feed (in the same transaction, sealed by its unit of work).
 */
export async function deleteTrip(trx: Transaction<Database>, tripId: string): Promise<void> {
  await recordStoredTripChange(trx, tripId, undefined, Date.now());
  await trx.deleteFrom('trips').where('id', '=', tripId).execute();
}

/**
 * Trips made by no agency or by `agencyId`: the SQL form of the agency rule
 * (access/agency-rule.ts), for the list and the merge engine's look-up.
 */
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
