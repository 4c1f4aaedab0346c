/**
 * The trip list's totals (`TotalItems`), kept per filter until the data changes. A filter the
 * day counts cannot answer (trip-totals.ts) is counted by a walk of every matching index entry,
 * while the page itself reads 200 entries; a client paging through a list asks the same count
 * again on every page. A kept count is used only while the trips'
 * version (feed/trip-feed.repository.ts `tripChangesVersion`: a commit that changes any trip, by
 * any process, changes it) is the one read before it was counted, so an answer never differs
 * from a fresh count.
 */
import { LRUCache } from 'lru-cache';
import type { Executor } from '../../../../db/database.js';
import type { TripListFilter } from '../trip-list.repository.js';

/** Reads the trips' version; undefined when it cannot tell (nothing is kept then). */
export type DataVersionReader = () => Promise<string | undefined>;

/** Counts the trips matching a list filter. */
export type TripCounter = (db: Executor, filter: TripListFilter) => Promise<number>;

/** Filters kept at once: a few hundred distinct lists are being paged through at a time. */
const KEPT_COUNTS = 500;

/**
 * Below this many matches a count costs about what the version check does: not worth an
 * entry. A traveller's own window rarely passes it; an administrator's company-wide one does.
 */
const WORTH_KEEPING = 1000;

interface KeptCount {
  /** The data version read before counting; undefined: not read (the first, unkept count). */
  version: string | undefined;
  count: number;
}

/** Counts list matches, reusing a count while the data it was taken from is unchanged. */
export class TripCountCache {
  private readonly kept = new LRUCache<string, KeptCount>({ max: KEPT_COUNTS });

  /** `counter` counts the matches (store/totals/trip-totals.ts; a stub in unit tests). */
  constructor(private readonly counter: TripCounter) {}

  /**
   * The number of trips matching `filter`, as `counter` answers it now. `dataVersion` reads
   * the data version (a request that already read it hands it over rather than read it again).
   */
  async count(
    db: Executor,
    filter: TripListFilter,
    dataVersion: DataVersionReader,
  ): Promise<number> {
    const key = JSON.stringify(filter);
    const kept = this.kept.get(key);
    if (kept === undefined) {
      // A filter seen for the first time is counted without the version check (a round trip
      // on PostgreSQL); a large count marks it as worth keeping from its next request on.
      const count = await this.counter(db, filter);
      if (count >= WORTH_KEEPING) this.kept.set(key, { version: undefined, count });
      return count;
    }
    const version = await dataVersion();
    if (version !== undefined && kept.version === version) return kept.count;
    const count = await this.counter(db, filter);
    if (count >= WORTH_KEEPING) this.kept.set(key, { version, count });
    else this.kept.delete(key);
    return count;
  }
}
