/**
 * The `imports` and `import_rejections` tables: how far each import has committed, and the
 * documents it refused. Progress is written in the transaction of the batch it describes.
 */
import { type Selectable, sql } from 'kysely';
import type { Dialect } from '../../db/connect.js';
import type { Executor } from '../../db/database.js';
import type { ImportsTable } from '../../db/tables/import-tables.js';

export type ImportRow = Selectable<ImportsTable>;

/** A refused document, as the report lists it. */
export interface Rejection {
  position: number;
  location: string;
  code: string;
  reason: string;
}

/** The counts a batch adds, and where the next batch starts. */
export interface BatchProgress {
  position: number;
  byteOffset: number;
  imported: number;
  merged: number;
  rejected: Rejection[];
  now: number;
}

/** The import with this id, if it was started before. */
export function findImport(db: Executor, id: string): Promise<ImportRow | undefined> {
  return db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Starts an import at the beginning of its input (nothing committed yet). */
export async function insertImport(
  db: Executor,
  values: { id: string; source: string; form: string; companyId: string; now: number },
): Promise<void> {
  await db
    .insertInto('imports')
    .values({
      id: values.id,
      source: values.source,
      form: values.form,
      company_id: values.companyId,
      position: 0,
      byte_offset: 0,
      imported: 0,
      merged: 0,
      rejected: 0,
      started_at: values.now,
      updated_at: values.now,
      finished_at: null,
    })
    .execute();
}

/** Records a batch: the next position, the added counts, the refused documents. */
export async function recordBatch(db: Executor, id: string, batch: BatchProgress): Promise<void> {
  if (batch.rejected.length > 0) {
    await db
      .insertInto('import_rejections')
      .values(batch.rejected.map((r) => ({ import_id: id, ...r })))
      .execute();
  }
  await db
    .updateTable('imports')
    .set((eb) => ({
      position: batch.position,
      byte_offset: batch.byteOffset,
      imported: eb('imported', '+', batch.imported),
      merged: eb('merged', '+', batch.merged),
      rejected: eb('rejected', '+', batch.rejected.length),
      updated_at: batch.now,
    }))
    .where('id', '=', id)
    .execute();
}

/** Marks an import as having reached the end of its input. */
export async function finishImport(db: Executor, id: string, now: number): Promise<void> {
  await db
    .updateTable('imports')
    .set({ finished_at: now, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/**
 * The tables an import fills, whose planner statistics it refreshes when it ends (it maps
 * documents to users that exist; it creates none).
 */
const IMPORTED_TABLES = ['trips', 'bookings', 'trip_changes', 'trip_day_counts', 'air_tickets'];

/**
 * Leaves the tables an import filled as the service expects to find them, on PostgreSQL:
 * - the trip day counts folded into one row per key. There, every trip written adds its own
 *   +1 rows (store/totals/trip-day-count.repository.ts), and a million imported trips leave two
 *   million rows that every company-wide total would sum until the list's own occasional fold
 *   came round, itself then a long statement under the first readers;
 * - the planner statistics refreshed: a bulk load leaves them describing the tables as they
 *   were (empty, for a first import) until autovacuum comes round ("Populating a Database",
 *   https://www.postgresql.org/docs/current/populate.html#POPULATE-ANALYZE).
 * `foldDayCounts`: the itineraries module's fold. SQLite keeps one day-count row per key, and
 * no statistics unless asked (its plans are chosen without them): nothing to do there.
 */
export async function settleImportedTables(
  db: Executor,
  dialect: Dialect,
  foldDayCounts: (db: Executor) => Promise<unknown>,
): Promise<void> {
  if (dialect !== 'postgres') return;
  await foldDayCounts(db);
  // Unqualified names: the tables of the schema this connection works in.
  await sql.raw(`analyze ${IMPORTED_TABLES.join(', ')}`).execute(db);
}

/** The refused documents of an import, in input order. */
export async function rejectionsOf(db: Executor, id: string): Promise<Rejection[]> {
  const rows = await db
    .selectFrom('import_rejections')
    .select(['position', 'location', 'code', 'reason'])
    .where('import_id', '=', id)
    .orderBy('position')
    .execute();
  return rows.map((row) => ({ ...row, position: Number(row.position) }));
}
