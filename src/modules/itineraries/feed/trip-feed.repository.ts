/**
 * The `trip_changes` and `trip_change_marks` tables: the trip change feed's log
 * (docs/CHANGE-FEED.md). Every function takes the executor first; writers pass their open
 * transaction.
 *
 * Why numbers are not given by the writers: the feed promises that a client following `next`
 * never skips a change. With a sequence (or bigserial), transaction A may take 5 and B 6, B
 * commits first, a reader sees 6 and moves its cursor past 5, which A then commits: skipped.
 * Numbering at commit from a counter row would be correct but queues every trip write's commit
 * behind the previous one on PostgreSQL (measured under load: 15-43 % fewer trip POSTs/s).
 * So a writer only inserts its rows, unnumbered, in its own transaction; the feed's reader
 * numbers the rows that are committed (`numberTripChanges`) in a transaction of its own before
 * it reads: one number for all of them (ordered by id, the order they were inserted), taken from
 * the `last` counter row, whose lock is held to that transaction's commit. Numberings thus become
 * visible one after another, each above the last, and a row committed later gets a later number:
 * nothing a reader has passed can appear behind it. A trip's changes keep their commit order: its
 * writers take the traveller's lock before inserting, so their ids are in commit order too.
 */
import { sql, type Transaction } from 'kysely';
import { runCompiled, selectCompiled } from '../../../db/compiled-once.js';
import type { Dialect } from '../../../db/connect.js';
import type { Database, Executor } from '../../../db/database.js';
import { TripStatus } from '../../../domain/trip-status.js';

/** What happened to a trip, as the feed says it. */
export const TRIP_CHANGE_TYPES = [
  'created',
  'updated',
  'cancelled',
  'deleted',
  'anonymized',
] as const;
export type TripChangeType = (typeof TRIP_CHANGE_TYPES)[number];

/** A position in the feed: after the change (seq, id); (0, 0) is before the first. */
export interface FeedPosition {
  seq: number;
  id: number;
}

/** One change of a trip, as a writer records it. */
export interface RecordedChange {
  tripId: string;
  companyId: string;
  /** The trip's agency (TMC apps of other agencies see nothing of it). */
  agencyId: string | null;
  type: TripChangeType;
  /** When it was written (epoch ms). */
  at: number;
}

/** A change as the feed reads it. */
export interface FeedChange extends FeedPosition {
  tripId: string;
  type: TripChangeType;
  at: number;
}

/** Records a trip change in the writer's transaction (numbered once committed, see above). */
export async function recordTripChange(
  trx: Transaction<Database>,
  change: RecordedChange,
): Promise<void> {
  await runCompiled(
    trx,
    'record-trip-change',
    (db, [tripId, companyId, agencyId, type, at]) =>
      db.insertInto('trip_changes').values({
        trip_id: tripId as string,
        company_id: companyId as string,
        agency_id: agencyId as string,
        type: type as string,
        at: at as unknown as number,
      }),
    [change.tripId, change.companyId, change.agencyId, change.type, change.at],
  );
}

/**
 * Records a change of a stored trip from its row, which must still be as it was: call it
 * before the row is updated or deleted. `cancelled` is written only when `newStatus` cancels a
 * trip that was not cancelled (a later write to a cancelled trip is `updated`), as the
 * notifications' CANCEL is; a removal (`newStatus` undefined) is `deleted`.
 */
export async function recordStoredTripChange(
  trx: Transaction<Database>,
  tripId: string,
  newStatus: number | undefined,
  at: number,
): Promise<void> {
  const type =
    newStatus === undefined ? 'deleted' : newStatus === TripStatus.Canceled ? 'cancel' : 'updated';
  await runCompiled(
    trx,
    `record-stored-trip-change:${type}`,
    (db, [at, id]) =>
      db
        .insertInto('trip_changes')
        .columns(['trip_id', 'company_id', 'agency_id', 'type', 'at'])
        .expression(
          db
            .selectFrom('trips')
            .select((eb) => [
              'id',
              'company_id',
              'agency_id',
              (type === 'cancel'
                ? sql<string>`case when status = ${sql.lit(TripStatus.Canceled)} then 'updated' else 'cancelled' end`
                : sql<string>`${sql.lit(type)}`
              ).as('type'),
              eb.cast<number>(eb.val(at), 'bigint').as('at'),
            ])
            .where('id', '=', id as string),
        ),
    [at, tripId],
  );
}

/** True when committed changes wait for their number (an index look-up, no lock). */
export async function hasUnnumberedChanges(db: Executor): Promise<boolean> {
  const rows = await selectCompiled<{ id: number }>(
    db,
    'unnumbered-trip-change',
    (db, [limit]) =>
      db
        .selectFrom('trip_changes')
        .select('id')
        .where('seq', 'is', null)
        .limit(limit as unknown as number),
    [1],
  );
  return rows.length > 0;
}

/**
 * Numbers every committed change that has no number yet (see the file comment), in the
 * caller's own short transaction, which must commit before the feed is read.
 */
export async function numberTripChanges(trx: Transaction<Database>): Promise<void> {
  const [counter] = await selectCompiled<{ seq: number }>(
    trx,
    'next-trip-change-seq',
    (db, [name]) =>
      db
        .updateTable('trip_change_marks')
        .set({ seq: sql<number>`seq + 1` })
        .where('name', '=', name as string)
        .returning('seq'),
    ['last'],
  );
  if (!counter) throw new Error('trip_change_marks has no last row');
  await runCompiled(
    trx,
    'number-trip-changes',
    (db, [seq]) =>
      db
        .updateTable('trip_changes')
        .set({ seq: seq as unknown as number })
        .where('seq', 'is', null),
    [Number(counter.seq)],
  );
}

export interface FeedQuery {
  companyIds: readonly string[];
  /** Only changes of trips of no agency or of this one (a TMC app's agency). */
  agencyId?: string;
  after: FeedPosition;
  limit: number;
}

/** The changes after a position, in commit order. */
export async function readTripChanges(db: Executor, query: FeedQuery): Promise<FeedChange[]> {
  const { seq, id } = query.after;
  let select = db
    .selectFrom('trip_changes')
    .select(['seq', 'id', 'trip_id', 'type', 'at'])
    .where('company_id', 'in', [...query.companyIds])
    // `seq >=` first, so that the index walk starts at the cursor rather than filtering the
    // company's whole retained history.
    .where('seq', '>=', seq)
    .where((eb) => eb.or([eb('seq', '>', seq), eb('id', '>', id)]));
  const agencyId = query.agencyId;
  if (agencyId !== undefined) {
    select = select.where((eb) =>
      eb.or([eb('agency_id', 'is', null), eb('agency_id', '=', agencyId)]),
    );
  }
  const rows = await select.orderBy('seq').orderBy('id').limit(query.limit).execute();
  return rows.map((row) => ({
    seq: Number(row.seq),
    id: Number(row.id),
    tripId: row.trip_id,
    type: row.type as TripChangeType,
    at: Number(row.at),
  }));
}

/** The last position purged (changes at or before it are gone). */
export async function purgedThrough(db: Executor): Promise<FeedPosition> {
  const row = await db
    .selectFrom('trip_change_marks')
    .select(['seq', 'id'])
    .where('name', '=', 'purged')
    .executeTakeFirstOrThrow();
  return { seq: Number(row.seq), id: Number(row.id) };
}

/**
 * Deletes up to `batch` of the oldest changes, those sealed before `cutoff` (epoch ms) and not
 * preceded by a newer one, and moves the `purged` mark past them, in the caller's transaction
 * (both or neither). Returns how many were deleted.
 */
export async function purgeTripChanges(
  trx: Transaction<Database>,
  cutoff: number,
  batch: number,
): Promise<number> {
  const oldest = await trx
    .selectFrom('trip_changes')
    .select(['seq', 'id', 'at'])
    .where('seq', '>=', 1)
    .orderBy('seq')
    .orderBy('id')
    .limit(batch)
    .execute();
  // The prefix older than the cutoff: commit times of different processes may be slightly out
  // of order, and the purge must never delete past a change it keeps.
  let count = 0;
  while (count < oldest.length && Number(oldest[count]?.at) < cutoff) count += 1;
  const last = oldest[count - 1];
  if (!last) return 0;
  const through = { seq: Number(last.seq), id: Number(last.id) };
  await trx
    .deleteFrom('trip_changes')
    .where('seq', '>=', 1)
    .where((eb) =>
      eb.or([
        eb('seq', '<', through.seq),
        eb.and([eb('seq', '=', through.seq), eb('id', '<=', through.id)]),
      ]),
    )
    .execute();
  // Another process may have purged further meanwhile: the mark only moves forward.
  await trx
    .updateTable('trip_change_marks')
    .set({ seq: through.seq, id: through.id })
    .where('name', '=', 'purged')
    .where((eb) =>
      eb.or([
        eb('seq', '<', through.seq),
        eb.and([eb('seq', '=', through.seq), eb('id', '<', through.id)]),
      ]),
    )
    .execute();
  return count;
}

/**
 * A token that changes whenever a change of any trip commits (store/totals/trip-count-cache.ts): read
 * it before a query whose result is kept, and keep the result only while the token is the same.
 *
 * SQLite: the last change row and the `purged` mark. Every trip write records a change in its own
 * transaction, and SQLite's single writer inserts them in commit order, so a commit always shows
 * a higher last id (or, when the purge emptied the log and ids start again, a new mark).
 * PostgreSQL assigns ids before commit, so a lower id may commit after a higher one: there the
 * token is the transaction snapshot, the same only while nothing at all was committed.
 */
export async function tripChangesVersion(
  db: Executor,
  dialect: Dialect,
): Promise<string | undefined> {
  if (dialect === 'postgres') {
    const { rows } = await sql<{ v: string }>`select pg_current_snapshot()::text as v`.execute(db);
    return rows[0]?.v;
  }
  const { rows } = await sql<{ last: number | null; purged: number | null }>`select
      (select max(id) from trip_changes) as last,
      (select id from trip_change_marks where name = 'purged') as purged`.execute(db);
  const row = rows[0];
  return row ? `${row.last ?? 0}:${row.purged ?? 0}` : undefined;
}
