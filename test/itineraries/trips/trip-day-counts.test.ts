/**
 * A list window's total from the trips counted by day (store/trip-day-count.repository.ts, kept
 * by the triggers of migration 2026-12-05T1200-trip-day-counts) is the count a walk of the
 * window's trips gives: for trips of every shape (no end, an end before the start, no dates),
 * status, agency and guest flag, windows on and off midnight, through inserts, updates and
 * deletes, after PostgreSQL's fold, and after the migration counts trips stored before it.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tripDayCounts } from '../../../src/db/migrations/2026-12-05/2026-12-05T1200-trip-day-counts.js';
import { DAY_MS } from '../../../src/domain/dates.js';
import {
  compactTripDayCounts,
  countableByDay,
  countTripsByDay,
  tripDayCountQuery,
} from '../../../src/modules/itineraries/store/totals/trip-day-count.repository.js';
import {
  countTrips,
  type TripListFilter,
} from '../../../src/modules/itineraries/store/trip-list.repository.js';
import { buildTestApp, seedTenant, type TestContext, testDialect } from '../../helpers/test-app.js';

let context: TestContext;
let companies: string[];
let owners: Map<string, string>;

/** A seeded, repeatable random source (mulberry32). */
function randomSource(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (below: number) => Math.floor(next() * below),
    pick: <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T,
  };
}

const BASE = Date.UTC(2027, 0, 1);
const STATUSES = [0, 1, 2, 4, 5, 6, 255] as const;
const AGENCIES = [null, 'AGENCY-1', 'AGENCY-2'] as const;

type Random = ReturnType<typeof randomSource>;

/** A trip's dates in one of the shapes stored trips take (mostly a start and a later end). */
function datesOf(random: Random): { start_at: number | null; end_at: number | null } {
  const start = BASE + (random.int(120) - 60) * DAY_MS + random.int(DAY_MS);
  switch (random.int(10)) {
    case 0:
      return { start_at: start, end_at: null };
    case 1:
      return { start_at: start, end_at: start - random.int(3 * DAY_MS) - 1 };
    case 2:
      return { start_at: null, end_at: null };
    case 3:
      return { start_at: start, end_at: start };
    default:
      return { start_at: start, end_at: start + random.int(20 * DAY_MS) };
  }
}

/** The other values of a trip the day counts key on. */
function keyOf(random: Random) {
  return {
    status: random.pick(STATUSES),
    agency_id: random.pick(AGENCIES),
    guest_key: random.int(5) === 0 ? `guest-${random.int(3)}` : null,
  };
}

async function insertTrip(random: Random): Promise<string> {
  const id = randomUUID();
  const company_id = random.pick(companies);
  await context.database.db
    .insertInto('trips')
    .values({
      id,
      company_id,
      owner_id: owners.get(company_id) as string,
      name: 'Counted',
      created_at: BASE,
      modified_at: BASE,
      booking_types: ',Air,',
      triplink_locator: id.slice(0, 8),
      summary: '{}',
      document: '{}',
      rendering: null,
      expensable_at: null,
      ...datesOf(random),
      ...keyOf(random),
    } as never)
    .execute();
  return id;
}

/** Keeps each company's longest trip as the window queries expect it (trip.repository.ts). */
async function widenSpanBounds(): Promise<void> {
  await sql`update companies set trip_span_bound = coalesce((
      select max(end_at - start_at) from trips
      where trips.company_id = companies.id and end_at > start_at), 0)
    where id in (${sql.join(companies)})`.execute(context.database.db);
}

/** Random list filters the day counts answer: windows on and off midnight, open at one end. */
function filtersOf(random: Random, how: number): TripListFilter[] {
  const filters: TripListFilter[] = [];
  for (let i = 0; i < how; i += 1) {
    const onMidnight = random.int(2) === 0;
    const at = (day: number) =>
      BASE + day * DAY_MS + (onMidnight ? 0 : random.int(DAY_MS) - (i % 2) * DAY_MS);
    const fromDay = random.int(140) - 75;
    const from = at(fromDay);
    const to = onMidnight ? at(fromDay + random.int(60) + 1) - 1 : at(fromDay + random.int(60));
    const open = random.int(6);
    const filter: TripListFilter = {
      companyIds: random.int(3) === 0 ? companies : [random.pick(companies)],
      excludedStatuses: random.pick([[], [2, 255, 4, 5], [2, 255, 5], [4, 5]]),
      ...(open === 0 ? {} : { from }),
      ...(open === 1 ? {} : { to: Math.max(to, from) }),
    };
    if (random.int(3) === 0) filter.agencyId = random.pick(['AGENCY-1', 'AGENCY-2']);
    if (random.int(2) === 0) filter.withoutGuestTrips = true;
    filters.push(filter);
  }
  return filters;
}

/** Every filter's total from the day counts beside the walk's. */
async function compare(filters: readonly TripListFilter[]) {
  const { db } = context.database;
  const byDay: number[] = [];
  const walked: number[] = [];
  for (const filter of filters) {
    expect(countableByDay(filter)).toBe(true);
    byDay.push((await countTripsByDay(db, filter)).trips);
    walked.push(await countTrips(db, filter));
  }
  return { byDay, walked };
}

beforeAll(async () => {
  context = await buildTestApp();
  const tenants = [await seedTenant(context), await seedTenant(context)];
  const { db } = context.database;
  const rows = await db
    .selectFrom('companies')
    .innerJoin('users', 'users.company_id', 'companies.id')
    .select(['companies.id', 'users.id as user_id'])
    .where(
      'companies.name',
      'in',
      tenants.map((t) => t.company),
    )
    .execute();
  owners = new Map(rows.map((row) => [row.id, row.user_id]));
  companies = [...owners.keys()];
});
afterAll(() => context.close());

describe('trips counted by day', () => {
  const random = randomSource(20261205);
  const ids: string[] = [];

  it('answer every window as a walk of its trips does', async () => {
    for (let i = 0; i < 400; i += 1) ids.push(await insertTrip(random));
    await widenSpanBounds();
    const { byDay, walked } = await compare(filtersOf(random, 150));
    expect(byDay).toEqual(walked);
    // The windows are not all empty: the comparison means something.
    expect(walked.filter((n) => n > 20).length).toBeGreaterThan(50);
  });

  it('follow updates of every counted value, and deletes', async () => {
    const { db } = context.database;
    for (const id of ids.slice(0, 150)) {
      const change = random.int(4);
      await db
        .updateTable('trips')
        .set(
          change === 0
            ? datesOf(random)
            : change === 1
              ? keyOf(random)
              : change === 2
                ? { company_id: random.pick(companies) }
                : { name: 'Renamed only' },
        )
        .where('id', '=', id)
        .execute();
    }
    await db.deleteFrom('trips').where('id', 'in', ids.slice(150, 220)).execute();
    await widenSpanBounds();
    const { byDay, walked } = await compare(filtersOf(random, 150));
    expect(byDay).toEqual(walked);
  });

  it.skipIf(testDialect() !== 'postgres')(
    'fold PostgreSQL changes into one row per key, totals unchanged',
    async () => {
      const { db } = context.database;
      const filters = filtersOf(random, 60);
      const before = await compare(filters);
      expect(await repeatedKeys()).toBeGreaterThan(0);
      await compactTripDayCounts(db);
      expect(await repeatedKeys()).toBe(0);
      const after = await compare(filters);
      expect(after.byDay).toEqual(before.walked);
      expect(after.walked).toEqual(before.walked);
    },
  );

  it('are counted for trips stored before the migration', async () => {
    const { db } = context.database;
    const filters = filtersOf(random, 60);
    const before = await compare(filters);
    const migration = tripDayCounts({ dialect: testDialect() });
    await migration.down(db);
    await migration.up(db);
    const after = await compare(filters);
    expect(after.byDay).toEqual(before.walked);
    // And the triggers are back: a new trip is counted.
    for (let i = 0; i < 30; i += 1) await insertTrip(random);
    await widenSpanBounds();
    const again = await compare(filters);
    expect(again.byDay).toEqual(again.walked);
  });

  it.skipIf(testDialect() !== 'sqlite')(
    'read the day rows and the uncounted trips by their indexes, not the window',
    async () => {
      const { db } = context.database;
      const filter: TripListFilter = {
        companyIds: companies,
        excludedStatuses: [2, 255],
        from: BASE + 3 * DAY_MS + 5,
        to: BASE + 40 * DAY_MS - 7,
        withoutGuestTrips: true,
        agencyId: 'AGENCY-1',
      };
      const { sql: text, parameters } = tripDayCountQuery(db, filter).compile();
      const plan = await sql.raw(`explain query plan ${inline(text, parameters)}`).execute(db);
      const details = (plan.rows as { detail: string }[]).map((row) => row.detail).join('\n');
      expect(details).toContain('trips_uncounted_span_idx');
      expect(details).toMatch(/trip_day_counts USING PRIMARY KEY/);
      expect(details).not.toMatch(/SCAN trips\b/);
    },
  );
});

/** Keys of `trip_day_counts` with more than one row (PostgreSQL's unfolded changes). */
async function repeatedKeys(): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from (
      select 1 from trip_day_counts
      group by company_id, edge, day, agency_id, status, guest having count(*) > 1) as r`.execute(
    context.database.db,
  );
  return Number(rows[0]?.n);
}

/** Inlines SQLite parameters for EXPLAIN (numbers and strings only). */
function inline(text: string, parameters: readonly unknown[]): string {
  let i = 0;
  return text.replace(/\?/g, () => {
    const value = parameters[i++];
    return typeof value === 'number' ? String(value) : `'${String(value).replaceAll("'", "''")}'`;
  });
}
