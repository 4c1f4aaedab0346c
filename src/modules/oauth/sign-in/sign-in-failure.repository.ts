/**
 * The failed sign-ins of the throttle (`sign_in_failures`): one row per hashed user or client
 * key, added to by every process in one atomic statement, read before each password check.
 */
import type { Executor } from '../../../db/database.js';

/** The failures recorded for one key. */
export interface FailureCount {
  key: string;
  failures: number;
  lastFailureAt: number;
  /** From this instant on the failures are forgotten. */
  expiresAt: number;
}

/** A failure to add: the key and when its failures are forgotten if none follows. */
export interface NewFailure {
  key: string;
  expiresAt: number;
}

/** The recorded failures of `keys` (expired rows included: callers compare with their clock). */
export async function readFailures(db: Executor, keys: readonly string[]): Promise<FailureCount[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom('sign_in_failures')
    .select(['key', 'failures', 'last_failure_at', 'expires_at'])
    .where('key', 'in', keys)
    .execute();
  return rows.map((row) => ({
    key: row.key,
    failures: Number(row.failures),
    lastFailureAt: Number(row.last_failure_at),
    expiresAt: Number(row.expires_at),
  }));
}

/**
 * Adds one failure at `now` to each key in one `insert … on conflict do update` (atomic on
 * SQLite and PostgreSQL: concurrent failures from other processes are all counted). A key
 * whose failures had expired starts again from 1. Rows are written in key order, so that two
 * statements locking the same rows on PostgreSQL cannot deadlock.
 */
export async function addFailures(
  db: Executor,
  failures: readonly NewFailure[],
  now: number,
): Promise<void> {
  if (failures.length === 0) return;
  const sorted = [...failures].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  await db
    .insertInto('sign_in_failures')
    .values(
      sorted.map((f) => ({
        key: f.key,
        failures: 1,
        last_failure_at: now,
        expires_at: f.expiresAt,
      })),
    )
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => ({
        failures: eb
          .case()
          .when('sign_in_failures.expires_at', '<', eb.ref('excluded.last_failure_at'))
          .then(1)
          .else(eb('sign_in_failures.failures', '+', 1))
          .end(),
        last_failure_at: eb.ref('excluded.last_failure_at'),
        expires_at: eb.ref('excluded.expires_at'),
      })),
    )
    .execute();
}

/** Forgets the failures of `key`. */
export async function clearFailures(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('key', '=', key).execute();
}

/** Deletes up to `limit` rows expired before `now` (index on expires_at); returns how many. */
export async function deleteExpiredFailures(
  db: Executor,
  now: number,
  limit: number,
): Promise<number> {
  const result = await db
    .deleteFrom('sign_in_failures')
    .where('key', 'in', (eb) =>
      eb.selectFrom('sign_in_failures').select('key').where('expires_at', '<', now).limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
