/**
 * The `notifications` table, the outbox: rows are inserted by the change that produces them
 * (outbox/), then claimed, finished and pruned by the delivery worker (delivery/), and listed
 * or resent through the admin API (admin/).
 *
 * A claim is a lease: `claimed_by` names the worker process and `claimed_until` says until
 * when the row is its own. A worker that dies mid-delivery simply lets the lease run out, and
 * any worker (the restarted one or another process) claims the row again. Only the holder of
 * the current lease may finish a row, so a worker whose lease ran out cannot overwrite the
 * outcome of the worker that took over.
 */
import { type ExpressionBuilder, sql } from 'kysely';
import type { DatabaseHandle } from '../../db/connect.js';
import type { Database, Executor, NewNotification, NotificationRow } from '../../db/database.js';

// Rows per INSERT: well below SQLite's and PostgreSQL's bound-parameter limits (20 columns).
const INSERT_CHUNK = 500;

/** Inserts outbox rows (in the caller's transaction, typically the change's own). */
export async function insertNotifications(
  db: Executor,
  rows: readonly NewNotification[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await db
      .insertInto('notifications')
      .values(rows.slice(i, i + INSERT_CHUNK))
      .execute();
  }
}

/** A claimed row: what the worker needs to send it, and the lease that lets it finish it. */
export type ClaimedNotification = Pick<
  NotificationRow,
  | 'id'
  | 'app_id'
  | 'company_id'
  | 'login_id'
  | 'event_type'
  | 'body'
  | 'attempts'
  | 'expires_at'
  | 'created_at'
  | 'channel'
  | 'subscription_id'
  | 'event_id'
> & { claimed_until: number };

export interface ClaimOptions {
  /** This worker's id (unique per process). */
  workerId: string;
  limit: number;
  now: number;
  /** End of the lease; past it another worker may take the row. */
  leaseUntil: number;
}

const CLAIMED_COLUMNS = [
  'id',
  'app_id',
  'company_id',
  'login_id',
  'event_type',
  'body',
  'attempts',
  'expires_at',
  'created_at',
  'claimed_until',
  'channel',
  'subscription_id',
  'event_id',
] as const;

/**
 * Claims up to `limit` due rows, oldest due first. This is the one repository function that
 * needs the database handle rather than an executor: how to claim safely differs.
 * - PostgreSQL: one statement whose sub-select locks the due rows `for update skip locked`, so
 *   concurrent claimers in any number of processes take disjoint rows without waiting.
 * - SQLite: the same statement without row locks inside a write transaction; SQLite runs one
 *   write transaction at a time across processes, so two claims never see the same row free.
 */
export async function claimDueNotifications(
  database: DatabaseHandle,
  options: ClaimOptions,
): Promise<ClaimedNotification[]> {
  const claim = async (db: Executor, lockRows: boolean) => {
    const unleased = (eb: ExpressionBuilder<Database, 'notifications'>) =>
      eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', options.now)]);
    const rows = await db
      // Materialised: PostgreSQL may otherwise run a `LIMIT … SKIP LOCKED` sub-select more
      // than once within the UPDATE and claim more rows than the limit (measured here).
      .with(
        (wb) => wb('due').materialized(),
        (qb) => {
          const due = qb
            .selectFrom('notifications')
            .select('id')
            .where('status', '=', 'pending')
            .where('next_attempt_at', '<=', options.now)
            .where(unleased)
            .orderBy('next_attempt_at')
            .limit(options.limit);
          return lockRows ? due.forUpdate().skipLocked() : due;
        },
      )
      .updateTable('notifications')
      .set({ claimed_by: options.workerId, claimed_until: options.leaseUntil })
      .where('id', 'in', (eb) => eb.selectFrom('due').select('due.id'))
      // Repeated outside the sub-select: a row another claim took between the sub-select and
      // the update must not be taken again (PostgreSQL re-checks these on the new row).
      .where('status', '=', 'pending')
      .where(unleased)
      .returning(CLAIMED_COLUMNS)
      .execute();
    return rows.map((row) => ({ ...row, claimed_until: row.claimed_until ?? options.leaseUntil }));
  };
  if (database.dialect === 'postgres') return claim(database.db, true);
  return database.write('notifications:claim', (trx) => claim(trx, false));
}

/**
 * Runs the worker's small writes (finishing, releasing, pruning). SQLite: through the shared
 * group commit, so that many finished deliveries share one commit. PostgreSQL: straight on the
 * pool; rows are fenced by their lease, so no advisory lock is needed.
 */
export function outboxWrite<T>(
  database: DatabaseHandle,
  work: (db: Executor) => Promise<T>,
): Promise<T> {
  if (database.dialect === 'postgres') return work(database.db);
  return database.write('notifications:finish', work);
}

/** The lease a finishing write must still hold. */
export interface Lease {
  id: string;
  workerId: string;
  claimedUntil: number;
}

/** The outcome of one attempt, as recorded on the row. */
export type AttemptRecord =
  | { kind: 'delivered'; at: number; status: number }
  | {
      kind: 'retry';
      at: number;
      status: number | null;
      error: string;
      nextAttemptAt: number;
    }
  | { kind: 'dead'; at: number; status: number | null; error: string };

/**
 * Records an attempt and releases the lease, if `lease` is still the row's lease. Returns
 * false when it is not (the lease ran out and another worker took the row): nothing changes.
 */
export async function finishNotification(
  db: Executor,
  lease: Lease,
  attempt: AttemptRecord,
): Promise<boolean> {
  const common = {
    attempts: sql<number>`attempts + 1`,
    last_attempt_at: attempt.at,
    last_status: attempt.status,
    claimed_by: null,
    claimed_until: null,
  };
  const values =
    attempt.kind === 'delivered'
      ? { ...common, status: 'delivered' as const, delivered_at: attempt.at, last_error: null }
      : attempt.kind === 'retry'
        ? { ...common, last_error: attempt.error, next_attempt_at: attempt.nextAttemptAt }
        : { ...common, status: 'dead' as const, last_error: attempt.error };
  const result = await db
    .updateTable('notifications')
    .set(values)
    .where('id', '=', lease.id)
    .where('claimed_by', '=', lease.workerId)
    .where('claimed_until', '=', lease.claimedUntil)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Gives rows claimed but never sent back, due at once (a worker stopping). */
export async function releaseNotifications(db: Executor, leases: readonly Lease[]): Promise<void> {
  for (const lease of leases) {
    await db
      .updateTable('notifications')
      .set({ claimed_by: null, claimed_until: null })
      .where('id', '=', lease.id)
      .where('claimed_by', '=', lease.workerId)
      .where('claimed_until', '=', lease.claimedUntil)
      .execute();
  }
}

/**
 * Deletes up to `limit` delivered or dead rows created before `before`; returns how many.
 * Bounded, so that pruning a large backlog never holds the write lock for long.
 */
export async function pruneNotifications(
  db: Executor,
  before: number,
  limit: number,
): Promise<number> {
  const old = db
    .selectFrom('notifications')
    .select('id')
    .where('status', 'in', ['delivered', 'dead'])
    .where('created_at', '<', before)
    .limit(limit);
  const result = await db.deleteFrom('notifications').where('id', 'in', old).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Forgets what the outbox holds of these trips' personal data (a trip deleted or anonymized):
 * v1.1 notifications not yet sent are dropped (their bodies and login ids describe the trip as
 * it was), and the rows kept for the delivery log lose their login id. ESS rows name the trip
 * and the user by id only, so they stay and are delivered in order.
 */
export async function forgetNotificationsOfTrips(
  db: Executor,
  tripIds: readonly string[],
): Promise<void> {
  if (tripIds.length === 0) return;
  await db
    .deleteFrom('notifications')
    .where('trip_id', 'in', [...tripIds])
    .where('channel', '=', 'v1')
    .where('status', '=', 'pending')
    .execute();
  await db
    .updateTable('notifications')
    .set({ login_id: '' })
    .where('trip_id', 'in', [...tripIds])
    .where('login_id', '<>', '')
    .execute();
}
