/**
 * The version of everything a trip list page is read from: the trips (every trip write adds a
 * change-feed row, feed/trip-feed.repository.ts `tripChangesVersion`) and, on SQLite, the users
 * whose names and login ids the page shows (kept by triggers, migration 2026-12-04T2200). Whole
 * pages are kept until it changes (store/versioned-cache.ts).
 */
import { sql } from 'kysely';
import type { Dialect } from '../../../db/connect.js';
import type { Executor } from '../../../db/database.js';
import { tripChangesVersion } from '../feed/trip-feed.repository.js';

/**
 * A string that differs after any commit that changes a trip or a user, by any process; read
 * outside a transaction, before the data it stands for. Undefined when it cannot tell.
 */
export async function tripListVersion(db: Executor, dialect: Dialect): Promise<string | undefined> {
  // PostgreSQL: the snapshot, which any commit changes, already covers users.
  if (dialect === 'postgres') return tripChangesVersion(db, dialect);
  const { rows } = await sql<{ last: number | null; purged: number | null; users: number | null }>`
    select
      (select max(id) from trip_changes) as last,
      (select id from trip_change_marks where name = 'purged') as purged,
      (select version from data_versions where name = 'users') as users`.execute(db);
  const row = rows[0];
  if (!row || row.users === null) return undefined;
  return `${row.last ?? 0}:${row.purged ?? 0}:${row.users}`;
}
