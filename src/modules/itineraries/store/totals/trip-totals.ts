/**
 * The trip list's totals: from the trips counted by day when the filter allows
 * (store/totals/trip-day-count.repository.ts), else by walking the filter's matches. On PostgreSQL the
 * day counts are rows of changes that readers sum; the totals fold them into one row per key
 * from time to time, so that a count keeps reading about one row per day.
 */
import type { Dialect } from '../../../../db/connect.js';
import type { Executor } from '../../../../db/database.js';
import { countTrips, type TripListFilter } from '../trip-list.repository.js';
import {
  compactTripDayCounts,
  countableByDay,
  countTripsByDay,
} from './trip-day-count.repository.js';

/** A count read more day rows than this: worth checking whether changes want folding. */
const FOLD_ABOVE_ROWS = 1000;

/** At most one fold per process in this many milliseconds. */
const FOLD_INTERVAL_MS = 10_000;

export interface TripTotalsOptions {
  dialect: Dialect;
  /** A failed fold leaves the changes (totals stay right, only slower): told here. */
  onFoldError?: (error: unknown) => void;
  now?: () => number;
}

/** Counts list matches for `TotalItems`. */
export class TripTotals {
  private lastFold = 0;
  private folding = false;

  constructor(private readonly options: TripTotalsOptions) {}

  /** The number of trips matching `filter`, as a walk of its matches would count them. */
  readonly count = async (db: Executor, filter: TripListFilter): Promise<number> => {
    if (!countableByDay(filter)) return countTrips(db, filter);
    const { trips, dayRowsRead } = await countTripsByDay(db, filter);
    if (this.options.dialect === 'postgres' && dayRowsRead > FOLD_ABOVE_ROWS) this.foldSoon(db);
    return trips;
  };

  /** Starts a fold unless one ran lately; the count that asked does not wait for it. */
  private foldSoon(db: Executor): void {
    const now = (this.options.now ?? Date.now)();
    if (this.folding || now - this.lastFold < FOLD_INTERVAL_MS) return;
    this.folding = true;
    this.lastFold = now;
    compactTripDayCounts(db)
      .catch((error: unknown) => this.options.onFoldError?.(error))
      .finally(() => {
        this.folding = false;
      });
  }
}
