/**
 * The shared request counters of the rate limits (`rate_limit_counters`): one row per
 * (app, company, window length, window start). Processes add what they counted and read back
 * the totals of every process.
 */
import type { Executor } from '../../db/database.js';

/** Identifies one counter: an (app, company) in one fixed window. */
export interface CounterKey {
  appId: string;
  companyId: string;
  windowSeconds: number;
  windowStart: number;
}

/** Requests one process counted in a window since its last flush. */
export interface CounterDelta extends CounterKey {
  count: number;
  /** End of the window: from then on the row may be deleted. */
  expiresAt: number;
}

/** The total of a counter over all processes. */
export interface CounterTotal extends CounterKey {
  count: number;
}

interface CounterRow {
  app_id: string;
  company_id: string;
  window_seconds: number;
  window_start: number;
  count: number;
}

function totalOf(row: CounterRow): CounterTotal {
  return {
    appId: row.app_id,
    companyId: row.company_id,
    windowSeconds: Number(row.window_seconds),
    windowStart: Number(row.window_start),
    count: Number(row.count),
  };
}

// Rows per statement: well below SQLite's and PostgreSQL's bound-parameter limits.
const CHUNK = 200;

/** Splits rows into parts small enough for one statement each. */
export function inChunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** The identity of one counter row, as a string key. */
export function counterKeyOf(k: CounterKey): string {
  return `${k.appId}\u0000${k.companyId}\u0000${k.windowSeconds}\u0000${k.windowStart}`;
}

/**
 * Adds the deltas to their counters (creating them) in one statement and returns the new
 * totals. Callers pass each key once and in a fixed order, so that concurrent flushes lock rows
 * in the same order on PostgreSQL and cannot deadlock.
 */
export async function addToCounters(
  db: Executor,
  deltas: readonly CounterDelta[],
): Promise<CounterTotal[]> {
  if (deltas.length === 0) return [];
  const rows = await db
    .insertInto('rate_limit_counters')
    .values(
      deltas.map((d) => ({
        app_id: d.appId,
        company_id: d.companyId,
        window_seconds: d.windowSeconds,
        window_start: d.windowStart,
        count: d.count,
        expires_at: d.expiresAt,
      })),
    )
    // `insert … on conflict do update`: atomic on SQLite (≥ 3.24) and PostgreSQL alike.
    .onConflict((oc) =>
      oc.columns(['app_id', 'company_id', 'window_seconds', 'window_start']).doUpdateSet((eb) => ({
        count: eb('rate_limit_counters.count', '+', eb.ref('excluded.count')),
      })),
    )
    .returning(['app_id', 'company_id', 'window_seconds', 'window_start', 'count'])
    .execute();
  return rows.map(totalOf);
}

/** The totals of the given (app, company) pairs in the given windows; absent counters are 0. */
export async function readCounters(
  db: Executor,
  pairs: readonly { appId: string; companyId: string }[],
  windows: readonly { seconds: number; start: number }[],
): Promise<CounterTotal[]> {
  if (pairs.length === 0 || windows.length === 0) return [];
  const rows = await db
    .selectFrom('rate_limit_counters')
    .select(['app_id', 'company_id', 'window_seconds', 'window_start', 'count'])
    .where((eb) =>
      eb.and([
        // SQLite's `IN` takes no list of row values, hence ORs of ANDs.
        eb.or(windows.map((w) => eb.and({ window_seconds: w.seconds, window_start: w.start }))),
        eb.or(pairs.map((p) => eb.and({ app_id: p.appId, company_id: p.companyId }))),
      ]),
    )
    .execute();
  return rows.map(totalOf);
}

/** Deletes the counters of windows that have ended by `now`; returns how many. */
export async function deleteExpiredCounters(db: Executor, now: number): Promise<number> {
  const result = await db
    .deleteFrom('rate_limit_counters')
    .where('expires_at', '<=', now)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
