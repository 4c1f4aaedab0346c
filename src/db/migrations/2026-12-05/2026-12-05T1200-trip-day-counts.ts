/**
 * Trips counted per company, day, agency, status and guest flag, by the day each starts and the
 * day each ends (`trip_day_counts`), kept by triggers on `trips`. A company-wide list's total
 * (`TotalItems`) counted the index entries of its window: 170,000 entries, about 50 ms, at a
 * million trips. With these counts a window's total is a sum over day rows (the trips starting
 * before its end, less those ending before its start) plus the two edge days when the window
 * does not fall on day boundaries (modules/itineraries/store/totals/trip-day-count.repository.ts).
 *
 * Triggers rather than application code: every path that writes trips (the API, the merge
 * engine, `itinera import`, erasure, later migrations) keeps the counts in its own transaction,
 * and none can forget to.
 *
 * Only trips with a start and an end not before it are counted. The others (no end, or an end
 * before the start) are rare and matched by the list's own filter, through a partial index.
 *
 * SQLite has one writer: the triggers add to one row per key. PostgreSQL writers run at once, and
 * adding to shared rows would make two travellers' transactions wait on, or deadlock over, the
 * same day: there the triggers insert changes (+1, −1) that readers sum, and the count path folds
 * them into one row per key from time to time (`compactTripDayCounts`).
 */
import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from '../migration-context.js';

const DAY_MS = 86_400_000;
/**
 * The partial index's condition, as the count query must spell it for the planner to see that
 * the index applies (store/totals/trip-day-count.repository.ts repeats it word for word).
 */
const UNCOUNTED = 'start_at is not null and (end_at is null or end_at < start_at)';

/** The day (since 1970-01-01 UTC) of an epoch-ms column, floored for instants before 1970. */
function dayOf(column: string) {
  return `((${column} - ((${column} % ${DAY_MS}) + ${DAY_MS}) % ${DAY_MS}) / ${DAY_MS})`;
}

/** A trip row (`new` or `old`) counted by day: a start, and an end not before it. */
function counted(row: string) {
  return `${row}.start_at is not null and ${row}.end_at is not null and ${row}.end_at >= ${row}.start_at`;
}

/** The rows of one trip's counts, `n` each: its start day (edge 0) and its end day (edge 1). */
function countRows(row: string, n: number) {
  const key = `${row}.company_id, coalesce(${row}.agency_id, ''), ${row}.status, case when ${row}.guest_key is null then 0 else 1 end`;
  return `select ${key}, 0, ${dayOf(`${row}.start_at`)}, ${n} union all select ${key}, 1, ${dayOf(`${row}.end_at`)}, ${n}`;
}

const COLUMNS = 'company_id, agency_id, status, guest, edge, day, trips';
const KEY = 'company_id, edge, day, agency_id, status, guest';
const CHANGED = ['company_id', 'agency_id', 'status', 'guest_key', 'start_at', 'end_at']
  .map((column) => `old.${column} is distinct from new.${column}`)
  .join(' or ');

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's types
async function sqliteTriggers(db: Kysely<any>): Promise<void> {
  // SQLite's `is not` is `is distinct from`.
  const changed = CHANGED.replaceAll('is distinct from', 'is not');
  const add = (row: string, n: number) =>
    `insert into trip_day_counts (${COLUMNS}) select * from (${countRows(row, n)}) where true
      on conflict (${KEY}) do update set trips = trips + excluded.trips;`;
  // Name, event, the row it counts and whether the row is added (new) or taken away (old).
  const triggers: [string, string, 'new' | 'old', string][] = [
    ['trip_day_counts_insert', 'after insert', 'new', 'true'],
    ['trip_day_counts_delete', 'after delete', 'old', 'true'],
    ['trip_day_counts_update_old', 'after update', 'old', `(${changed})`],
    ['trip_day_counts_update_new', 'after update', 'new', `(${changed})`],
  ];
  for (const [name, event, row, also] of triggers) {
    const when = `${also} and ${counted(row)}`;
    const n = row === 'new' ? 1 : -1;
    await sql
      .raw(`create trigger ${name} ${event} on trips when ${when} begin ${add(row, n)} end`)
      .execute(db);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's types
async function postgresTriggers(db: Kysely<any>): Promise<void> {
  await sql
    .raw(`create function trip_day_counts_change() returns trigger language plpgsql as $$
      begin
        if tg_op <> 'INSERT' and ${counted('old')} then
          insert into trip_day_counts (${COLUMNS}) ${countRows('old', -1)};
        end if;
        if tg_op <> 'DELETE' and ${counted('new')} then
          insert into trip_day_counts (${COLUMNS}) ${countRows('new', 1)};
        end if;
        return null;
      end $$`)
    .execute(db);
  await sql
    .raw(`create trigger trip_day_counts_insert_delete after insert or delete on trips
      for each row execute function trip_day_counts_change()`)
    .execute(db);
  await sql
    .raw(`create trigger trip_day_counts_update after update on trips
      for each row when (${CHANGED}) execute function trip_day_counts_change()`)
    .execute(db);
}

export function tripDayCounts(context: MigrationContext) {
  const sqlite = context.dialect === 'sqlite';
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's types
    async up(db: Kysely<any>): Promise<void> {
      let table = db.schema
        .createTable('trip_day_counts')
        .addColumn('company_id', 'text', (c) => c.notNull())
        .addColumn('edge', 'integer', (c) => c.notNull())
        .addColumn('day', 'integer', (c) => c.notNull())
        .addColumn('agency_id', 'text', (c) => c.notNull())
        .addColumn('status', 'integer', (c) => c.notNull())
        .addColumn('guest', 'integer', (c) => c.notNull())
        .addColumn('trips', 'integer', (c) => c.notNull());
      if (sqlite) {
        table = table
          .addPrimaryKeyConstraint('trip_day_counts_pk', [
            'company_id',
            'edge',
            'day',
            'agency_id',
            'status',
            'guest',
          ])
          .modifyEnd(sql`without rowid`);
      }
      await table.execute();
      if (!sqlite) {
        await db.schema
          .createIndex('trip_day_counts_day_idx')
          .on('trip_day_counts')
          .columns(['company_id', 'edge', 'day', 'agency_id', 'status', 'guest', 'trips'])
          .execute();
      }
      await sql
        .raw(`insert into trip_day_counts (${COLUMNS})
          select company_id, agency_id, status, guest, edge, day, count(*) from (
            select company_id, coalesce(agency_id, '') as agency_id, status,
              case when guest_key is null then 0 else 1 end as guest, 0 as edge,
              ${dayOf('start_at')} as day
            from trips where ${counted('trips')}
            union all
            select company_id, coalesce(agency_id, ''), status,
              case when guest_key is null then 0 else 1 end, 1, ${dayOf('end_at')}
            from trips where ${counted('trips')}
          ) as ends group by company_id, agency_id, status, guest, edge, day`)
        .execute(db);
      // The trips the counts leave out, found without walking the window: covering the list's
      // conditions, or the planners prefer the (covering) window index.
      await db.schema
        .createIndex('trips_uncounted_span_idx')
        .on('trips')
        .columns(['company_id', 'start_at', 'end_at', 'status', 'guest_key', 'agency_id'])
        .where(sql.raw<boolean>(UNCOUNTED))
        .execute();
      if (sqlite) await sqliteTriggers(db);
      else await postgresTriggers(db);
    },
    // biome-ignore lint/suspicious/noExplicitAny: see up()
    async down(db: Kysely<any>): Promise<void> {
      if (sqlite) {
        for (const suffix of ['insert', 'delete', 'update_old', 'update_new']) {
          await sql.raw(`drop trigger if exists trip_day_counts_${suffix}`).execute(db);
        }
      } else {
        await sql.raw('drop trigger if exists trip_day_counts_insert_delete on trips').execute(db);
        await sql.raw('drop trigger if exists trip_day_counts_update on trips').execute(db);
        await sql.raw('drop function if exists trip_day_counts_change()').execute(db);
      }
      await db.schema.dropIndex('trips_uncounted_span_idx').execute();
      await db.schema.dropTable('trip_day_counts').execute();
    },
  };
}
