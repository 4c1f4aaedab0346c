/**
 * A list window's total (`TotalItems`) from the trips counted by day (`trip_day_counts`, kept by
 * the triggers of migration 2026-12-05T1200-trip-day-counts), not from a walk of every trip in
 * the window: at a million trips a company-wide window holds some 170,000 index entries (about
 * 50 ms), while the day rows before its end are a few thousand.
 *
 * A trip with a start and an end not before it matches a window [from, to] when it starts at or
 * before `to` and does not end before `from`; one that ends before `from` started before it, so
 *
 *   matches = (counted trips starting before to + 1) − (counted trips ending before from)
 *           + (uncounted trips matching the filter: no end, or an end before the start).
 *
 * Each "before" is whole days from the day rows plus, when the instant is not midnight UTC, the
 * trips of its own day up to it (a date window's ends fall on midnight; it reads no trip). The
 * uncounted trips are found through their partial index. On PostgreSQL the rows are changes that
 * `compactTripDayCounts` folds into one row per key.
 */
import { sql } from 'kysely';
import type { Executor } from '../../../../db/database.js';
import { DAY_MS } from '../../../../domain/dates.js';
import { earliestStartEndingAfter } from '../trip.repository.js';
import { matchingTrips, type TripListFilter } from '../trip-list.repository.js';

/** Which instant of a trip a day row counts. */
enum Edge {
  Start = 0,
  End = 1,
}

/** A total from the day counts, and how many day rows it summed. */
export interface DayCountedTotal {
  trips: number;
  dayRowsRead: number;
}

/**
 * Whether the day counts can answer `filter`'s total: a window of a company (or companies), with
 * no condition the day rows do not carry. A traveller's own window is small: walked directly.
 */
export function countableByDay(filter: TripListFilter): boolean {
  const { from, to } = filter;
  if (from === undefined && to === undefined) return false;
  if (from !== undefined && to !== undefined && from > to) return false;
  return (
    filter.ownerId === undefined &&
    filter.createdFrom === undefined &&
    filter.createdTo === undefined &&
    filter.modifiedFrom === undefined &&
    filter.bookingType === undefined &&
    filter.tripId === undefined &&
    filter.expense === undefined
  );
}

/** The day (since 1970-01-01 UTC) of an instant, as the migration's triggers compute it. */
function dayOf(at: number): number {
  return Math.floor(at / DAY_MS);
}

/** The day rows of `edge` counting trips the filter's companies, statuses, agency and guests allow. */
function dayRows(db: Executor, filter: TripListFilter, edge: Edge) {
  let query = db
    .selectFrom('trip_day_counts')
    .where('trip_day_counts.company_id', 'in', [...filter.companyIds])
    .where('trip_day_counts.edge', '=', edge);
  if (filter.excludedStatuses.length > 0) {
    query = query.where('trip_day_counts.status', 'not in', [...filter.excludedStatuses]);
  }
  if (filter.agencyId !== undefined) {
    query = query.where('trip_day_counts.agency_id', 'in', ['', filter.agencyId]);
  }
  if (filter.withoutGuestTrips) query = query.where('trip_day_counts.guest', '=', 0);
  return query;
}

/**
 * The counted trips (a start, and an end not before it) the filter's other conditions allow:
 * the list's own filter without its window (`countableByDay` leaves no other condition).
 */
function countedTrips(db: Executor, filter: TripListFilter) {
  const { from: _from, to: _to, ...withoutWindow } = filter;
  return matchingTrips(db, withoutWindow).where((eb) =>
    eb('trips.end_at', '>=', eb.ref('trips.start_at')),
  );
}

/**
 * The day rows of `edge` before `before`'s day (all of them when undefined; none when null),
 * summed, with how many rows that read.
 */
function wholeDaysBefore(
  db: Executor,
  filter: TripListFilter,
  edge: Edge,
  before: number | undefined | null,
) {
  let days = dayRows(db, filter, edge);
  if (before === null) days = days.where(sql<boolean>`1 = 0`);
  else if (before !== undefined) days = days.where('trip_day_counts.day', '<', dayOf(before));
  return days.select((d) => [
    d.fn.coalesce(d.fn.sum<number | string>('trip_day_counts.trips'), sql<number>`0`).as('trips'),
    d.fn.countAll<number | string>().as('rows'),
  ]);
}

/**
 * The counted trips of `before`'s own day whose `edge` instant is before it: none when `before`
 * is midnight (or absent).
 */
function sameDayBefore(
  db: Executor,
  filter: TripListFilter,
  edge: Edge,
  before: number | undefined | null,
) {
  if (before === undefined || before === null || before % DAY_MS === 0) return sql<number>`0`;
  const midnight = dayOf(before) * DAY_MS;
  let trips = countedTrips(db, filter);
  if (edge === Edge.Start) {
    trips = trips.where('trips.start_at', '>=', midnight).where('trips.start_at', '<', before);
  } else {
    // A counted trip ending that day started before `before`, and no earlier than the longest
    // trip allows: bounds that let the start index be walked.
    trips = trips
      .where('trips.end_at', '>=', midnight)
      .where('trips.end_at', '<', before)
      .where('trips.start_at', '>=', earliestStartEndingAfter(midnight, filter.companyIds))
      .where('trips.start_at', '<', before);
  }
  return trips.select((t) => t.fn.countAll<number | string>().as('n'));
}

/**
 * The partial index's condition (trips_uncounted_span_idx), spelled as the migration spells it
 * so that the planners see the index applies.
 */
const UNCOUNTED = sql<boolean>`start_at is not null and (end_at is null or end_at < start_at)`;

/**
 * The query of `filter`'s total from the day counts (`countableByDay(filter)` must hold): one
 * row of parts that `countTripsByDay` adds up (the benchmark prints its plan).
 */
export function tripDayCountQuery(db: Executor, filter: TripListFilter) {
  // Trips starting at or before `to`, less those ending before `from` (none without one).
  const startBefore = filter.to === undefined ? undefined : filter.to + 1;
  const endBefore = filter.from === undefined ? null : filter.from;
  return db
    .selectFrom([
      wholeDaysBefore(db, filter, Edge.Start, startBefore).as('started'),
      wholeDaysBefore(db, filter, Edge.End, endBefore).as('ended'),
    ])
    .select([
      'started.trips as started',
      'started.rows as started_rows',
      'ended.trips as ended',
      'ended.rows as ended_rows',
      sameDayBefore(db, filter, Edge.Start, startBefore).as('started_today'),
      sameDayBefore(db, filter, Edge.End, endBefore).as('ended_today'),
      matchingTrips(db, filter)
        .where(UNCOUNTED)
        .select((t) => t.fn.countAll<number | string>().as('n'))
        .as('uncounted'),
    ]);
}

/** Counts the trips matching `filter` from the day counts; `countableByDay(filter)` must hold. */
export async function countTripsByDay(
  db: Executor,
  filter: TripListFilter,
): Promise<DayCountedTotal> {
  const row = await tripDayCountQuery(db, filter).executeTakeFirstOrThrow();
  const n = (value: unknown) => Number(value ?? 0);
  return {
    trips:
      n(row.started) + n(row.started_today) - n(row.ended) - n(row.ended_today) + n(row.uncounted),
    dayRowsRead: n(row.started_rows) + n(row.ended_rows),
  };
}

/**
 * Folds PostgreSQL's day-count changes into one row per key, in one statement: a reader sees
 * either the changes or their sums. Only keys with more than one row are rewritten. Changes
 * committed meanwhile are not in the statement's snapshot and stay for the next fold; two folds
 * at once each fold the rows they deleted. Returns the rows written.
 */
export async function compactTripDayCounts(db: Executor): Promise<number> {
  const { rows } = await sql<{ n: string | number }>`
    with repeated as (
      select company_id, edge, day, agency_id, status, guest from trip_day_counts
      group by company_id, edge, day, agency_id, status, guest
      having count(*) > 1
    ), folded as (
      delete from trip_day_counts c using repeated r
      where c.company_id = r.company_id and c.edge = r.edge and c.day = r.day
        and c.agency_id = r.agency_id and c.status = r.status and c.guest = r.guest
      returning c.company_id, c.edge, c.day, c.agency_id, c.status, c.guest, c.trips
    ), kept as (
      insert into trip_day_counts (company_id, edge, day, agency_id, status, guest, trips)
      select company_id, edge, day, agency_id, status, guest, sum(trips)
      from folded group by company_id, edge, day, agency_id, status, guest
      having sum(trips) <> 0
      returning 1
    )
    select count(*) as n from kept`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
