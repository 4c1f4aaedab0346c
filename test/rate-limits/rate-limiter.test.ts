/**
 * The RateLimiter against a real database: several limiters on one database stand for cluster
 * workers and instances. Flushes are triggered by hand; the clock is injected.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import {
  RateLimiter,
  type RateLimiterOptions,
} from '../../src/modules/rate-limits/rate-limiter.service.js';
import { freshDatabase, TEST_PG_URL } from '../helpers/test-app.js';

let handle: Awaited<ReturnType<typeof freshDatabase>>;
const START = Date.UTC(2030, 0, 1, 0, 0, 10);
let now = START;
const errors: string[] = [];

beforeAll(async () => {
  handle = await freshDatabase();
  await migrateToLatest(handle.database.db, handle.database.dialect);
});
afterAll(() => handle.drop());

/** Another connection to the same database, as another process would open. */
async function secondConnection() {
  const { db, dialect } = handle.database;
  if (dialect === 'sqlite') {
    const list = await sql<{
      file: string;
    }>`select file from pragma_database_list where name = 'main'`.execute(db);
    return connectDatabase({ dialect: 'sqlite', filename: list.rows[0]?.file ?? '' });
  }
  const result = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return connectDatabase({
    dialect: 'postgres',
    connectionString: TEST_PG_URL,
    schema: result.rows[0]?.schema ?? '',
  });
}

function limiter(options: Partial<RateLimiterOptions> = {}, db = handle.database.db) {
  return new RateLimiter(db, {
    perMinute: 10,
    perHour: 100,
    now: () => now,
    log: { error: (_object, message) => errors.push(message) },
    ...options,
  });
}

function allowed(rateLimiter: RateLimiter, app: string, company: string, times: number): number {
  let count = 0;
  for (let i = 0; i < times; i++) if (rateLimiter.take(app, company).allowed) count++;
  return count;
}

async function storedCount(app: string, company: string, seconds: number): Promise<number> {
  const row = await handle.database.db
    .selectFrom('rate_limit_counters')
    .select('count')
    .where('app_id', '=', app)
    .where('company_id', '=', company)
    .where('window_seconds', '=', seconds)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

describe('RateLimiter', () => {
  it('shares counts through the database: three processes together allow the limit', async () => {
    now = START;
    const workers = [limiter(), limiter(), limiter()];
    let total = 0;
    // Rounds of a few requests per worker, each round followed by the periodic flush.
    for (let round = 0; round < 6; round++) {
      for (const worker of workers) total += allowed(worker, 'a1', 'c1', 2);
      await Promise.all(workers.map((w) => w.flush()));
    }
    // Overshoot is bounded by what the workers allow within one flush interval.
    expect(total).toBeGreaterThanOrEqual(10);
    expect(total).toBeLessThanOrEqual(10 + 2 * workers.length);
    expect(await storedCount('a1', 'c1', 60)).toBe(total);
    expect(await storedCount('a1', 'c1', 3600)).toBe(total);
    for (const worker of workers) expect(worker.take('a1', 'c1').allowed).toBe(false);
  });

  it('upserts many keys from concurrent flushes without deadlocks or lost counts', async () => {
    now = START;
    const workers = [limiter(), limiter(), limiter(), limiter()];
    const companies = Array.from({ length: 250 }, (_, i) => `c-${String(i).padStart(3, '0')}`);
    workers.forEach((worker, w) => {
      const order = w % 2 === 0 ? companies : [...companies].reverse();
      for (const company of order) allowed(worker, 'a2', company, 1);
    });
    await Promise.all(workers.map((w) => w.flush()));
    expect(await storedCount('a2', 'c-000', 60)).toBe(4);
    expect(await storedCount('a2', 'c-249', 3600)).toBe(4);
    expect(errors).toEqual([]);
  });

  it('logs a database error in a flush, keeps the counts and shares them later', async () => {
    now = START;
    const broken = await freshDatabase();
    await broken.drop();
    const failing = limiter({}, broken.database.db);
    expect(allowed(failing, 'a3', 'c3', 4)).toBe(4);
    await expect(failing.flush()).resolves.toBeUndefined();
    await failing.flush();
    // Logged once, not on every failing flush (4 a second).
    expect(errors).toEqual(['rate limits: could not share request counts']);
    // The four still count locally.
    expect(failing.take('a3', 'c3').remaining).toBe(5);
    errors.length = 0;
  });

  it('flushes once on stop, and deletes expired windows later', async () => {
    now = START;
    const worker = limiter();
    allowed(worker, 'a4', 'c4', 3);
    await worker.stop();
    expect(await storedCount('a4', 'c4', 60)).toBe(3);
    // Two hours on, a limiter's first flush (then one a minute) deletes the ended windows.
    now = START + 2 * 3600_000;
    const later = limiter();
    allowed(later, 'a4', 'c5', 1);
    await later.flush();
    expect(await storedCount('a4', 'c4', 60)).toBe(0);
    expect(await storedCount('a4', 'c4', 3600)).toBe(0);
    expect(await storedCount('a4', 'c5', 60)).toBe(1);
  });

  it('does nothing when both limits are 0', async () => {
    const off = limiter({ perMinute: 0, perHour: 0 });
    expect(off.enabled).toBe(false);
    off.start();
    await off.stop();
  });

  it('flushes on its own timer, which does not hold the process open', async () => {
    now = START;
    const second = await secondConnection();
    try {
      const worker = limiter({ flushIntervalMs: 20 }, second.db);
      worker.start();
      allowed(worker, 'a5', 'c5', 2);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await storedCount('a5', 'c5', 60)).toBe(2);
      await worker.stop();
    } finally {
      await second.close();
    }
  });
});
