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

/** The tables an import fills, whose planner statistics it refreshes when it ends. */
const IMPORTED_TABLES = [
  'trips',
  'bookings',
  'trip_changes',
  'trip_day_counts',
  'air_tickets',
  'users',
];

/**
 * Refreshes PostgreSQL's planner statistics of the tables an import filled: a bulk load leaves
 * them describing the tables as they were (empty, for a first import) until autovacuum comes
 * round, and until then the list queries may be planned for a few rows ("Populating a
 * Database", https://www.postgresql.org/docs/current/populate.html#POPULATE-ANALYZE). SQLite
 * keeps no statistics unless asked, and its plans are chosen without them, so it has none to
 * refresh.
 */
export async function refreshPlannerStatistics(db: Executor, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
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
