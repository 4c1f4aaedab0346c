/**
 * The trip list's queries on the `trips` table (with each trip's owner): the filters of
 * `GET /api/travel/trip/v1.1`, one page in list order, and the count for paging metadata.
 */
import { sql } from 'kysely';
import type { Executor } from '../../../db/database.js';
import type { TripSummary } from '../../../domain/trip-derivation.js';
import { earliestStartEndingAfter, ofNoAgencyOr } from './trip.repository.js';

export interface TripListFilter {
  /** Only this traveller's trips, or every trip of these companies. */
  ownerId?: string;
  companyIds: readonly string[];
  /** Trip statuses left out (cancelled, virtual … unless asked for). */
  excludedStatuses: readonly number[];
  /** Overlap window: trips ending on/after `from` and starting on/before `to`. */
  from?: number;
  to?: number;
  createdFrom?: number;
  createdTo?: number;
  modifiedFrom?: number;
  bookingType?: string;
  tripId?: string;
  /** Only trips of no agency or of this one (a TMC app's agency). */
  agencyId?: string;
  /** Leave out guest trips (every booking a guest booking) unless `includeGuestBookings`. */
  withoutGuestTrips?: boolean;
  /**
   * `readyToExpense` (docs/COMPATIBILITY.md "Expense readiness"): only trips ready (`ready`) or
   * not ready to expense at `now`; `preExpenseAir`: the companies of `companyIds` with that option.
   */
  expense?: { ready: boolean; now: number; preExpenseAir: readonly string[] };
}

/** One trip of a list page, with its owner's names. */
export interface TripListItem {
  id: string;
  name: string;
  status: number;
  modifiedAt: number;
  summary: TripSummary;
  loginId: string;
  firstName: string | null;
  lastName: string | null;
}

/** The trips matching a list filter (every condition but paging), as a query to select from. */
export function matchingTrips(db: Executor, filter: TripListFilter) {
  let query = db.selectFrom('trips').where('trips.company_id', 'in', [...filter.companyIds]);
  if (filter.ownerId !== undefined) query = query.where('trips.owner_id', '=', filter.ownerId);
  if (filter.excludedStatuses.length > 0) {
    query = query.where('trips.status', 'not in', [...filter.excludedStatuses]);
  }
  if (filter.from !== undefined) {
    query = query
      .where('trips.start_at', '>=', earliestStartEndingAfter(filter.from, filter.companyIds))
      .where('trips.end_at', '>=', filter.from);
  }
  if (filter.to !== undefined) query = query.where('trips.start_at', '<=', filter.to);
  if (filter.createdFrom !== undefined) {
    query = query.where('trips.created_at', '>=', filter.createdFrom);
  }
  if (filter.createdTo !== undefined)
    query = query.where('trips.created_at', '<=', filter.createdTo);
  if (filter.modifiedFrom !== undefined) {
    query = query.where('trips.modified_at', '>=', filter.modifiedFrom);
  }
  if (filter.bookingType !== undefined) {
    query = query.where('trips.booking_types', 'like', `%,${filter.bookingType},%`);
  }
  if (filter.tripId !== undefined) query = query.where('trips.id', '=', filter.tripId);
  if (filter.agencyId !== undefined) query = query.where(ofNoAgencyOr(filter.agencyId));
  if (filter.withoutGuestTrips) query = query.where('trips.guest_key', 'is', null);
  if (filter.expense !== undefined) {
    const { ready, now, preExpenseAir } = filter.expense;
    // The rule of src/domain/expense-readiness.ts `isReadyToExpense`, on the stored values.
    query = query.where((eb) => {
      const preAir =
        preExpenseAir.length > 0
          ? eb.and([
              eb('trips.pre_expensable', '=', 1),
              eb('trips.company_id', 'in', [...preExpenseAir]),
            ])
          : undefined;
      if (ready) {
        const ended = eb('trips.expensable_at', '<=', now);
        return preAir ? eb.or([ended, preAir]) : ended;
      }
      // Spelled out rather than `not (…)`: a null expensable_at (never) must count as not ready.
      const notEnded = eb.or([
        eb('trips.expensable_at', 'is', null),
        eb('trips.expensable_at', '>', now),
      ]);
      return preAir ? eb.and([notEnded, eb.not(preAir)]) : notEnded;
    });
  }
  return query;
}

/** What a list item reads of its trip and owner. */
const LIST_COLUMNS = [
  'trips.id',
  'trips.name',
  'trips.status',
  'trips.modified_at',
  'trips.summary',
  'users.login_id',
  'users.first_name',
  'users.last_name',
] as const;

/** Up to this offset a page is read in one step (rows skipped by the offset are read too). */
const ROWS_READ_TO_SKIP = 1000;

/** The count of a list filter's matches, as a query (the benchmark prints its plan). */
export function tripCountQuery(db: Executor, filter: TripListFilter) {
  return matchingTrips(db, filter).select((eb) => eb.fn.countAll<number | string>().as('n'));
}

/** Counts the trips matching a list filter. */
export async function countTrips(db: Executor, filter: TripListFilter): Promise<number> {
  const row = await tripCountQuery(db, filter).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The query of one page of trips, ordered by start (undated trips last), then id: the form
 * `listTrips` runs (the benchmark prints its plan).
 */
export function tripPageQuery(
  db: Executor,
  filter: TripListFilter,
  page: { limit: number; offset: number },
) {
  const windowed = filter.from !== undefined || filter.to !== undefined;
  return windowed && page.offset <= ROWS_READ_TO_SKIP
    ? // A window leaves undated trips out: the start index gives the order, and the walk
      // stops after the page's rows, reading only theirs (half the time of the other form).
      // Rows skipped by the offset are read too, so deep pages take the other form.
      matchingTrips(db, filter)
        .innerJoin('users', 'users.id', 'trips.owner_id')
        .select(LIST_COLUMNS)
        .orderBy('trips.start_at')
        .orderBy('trips.id')
        .limit(page.limit)
        .offset(page.offset)
    : pageWithOwners(db, filter, page);
}

/** One page of trips, ordered by start (undated trips last), then id. */
export async function listTrips(
  db: Executor,
  filter: TripListFilter,
  page: { limit: number; offset: number },
): Promise<TripListItem[]> {
  const rows = await tripPageQuery(db, filter, page).execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    status: row.status,
    modifiedAt: row.modified_at,
    summary: JSON.parse(row.summary) as TripSummary,
    loginId: row.login_id,
    firstName: row.first_name,
    lastName: row.last_name,
  }));
}

/**
 * Two steps: the page's ids first, from the start index alone, then the rows and owners of that
 * page only. Without a window, undated trips sort last (`coalesce`), which no index gives, and
 * sorting whole rows (summaries included) of every match cost more than all the rest of a
 * 200-item page; deep in a window, the skipped rows are not read.
 */
function pageWithOwners(
  db: Executor,
  filter: TripListFilter,
  page: { limit: number; offset: number },
) {
  const last = Number.MAX_SAFE_INTEGER;
  const pageOfTrips = matchingTrips(db, filter)
    .select(['trips.id', 'trips.start_at'])
    .orderBy(sql`coalesce(trips.start_at, ${last})`)
    .orderBy('trips.id')
    .limit(page.limit)
    .offset(page.offset);
  return db
    .selectFrom(pageOfTrips.as('t'))
    .innerJoin('trips', 'trips.id', 't.id')
    .innerJoin('users', 'users.id', 'trips.owner_id')
    .select(LIST_COLUMNS)
    .orderBy(sql`coalesce(t.start_at, ${last})`)
    .orderBy('t.id');
}
