/**
 * Reads kept until the data they were read from changes: whole trip list pages (LIST_CACHE_MB)
 * and trips as their details read them (TRIP_CACHE_MB, store/trip-read-cache.ts).
 *
 * Clients poll their lists and trips (a TMC's sync job, an expense tool, a traveller's app
 * asking the same page every few seconds) far more often than trips change, and a 200-item page
 * costs milliseconds to read and render where answering kept bytes costs a fraction of one. A
 * kept value is answered only while the data version (store/trip-list-version.repository.ts) is
 * the one read *before* the value was read: any later commit to a trip or a user, by any
 * process, makes the next request read afresh, so an answer never differs from a fresh read.
 *
 * Bounded by an estimate of the bytes each value holds.
 */
import { LRUCache } from 'lru-cache';
import type { DataVersionReader } from './totals/trip-count-cache.js';

interface Kept<T> {
  version: string;
  value: T;
}

/** Values kept by key, each valid for one data version. */
export class VersionedCache<T extends object> {
  private readonly kept: LRUCache<string, Kept<T>> | undefined;

  /**
   * `maxBytes`: what all kept values may hold together (0: keep nothing); `sizeOf`: an estimate
   * of one value's bytes, rendered forms included.
   */
  constructor(maxBytes: number, sizeOf: (value: T) => number) {
    this.kept =
      maxBytes > 0
        ? new LRUCache<string, Kept<T>>({
            maxSize: maxBytes,
            // A value larger than the whole budget is simply not kept (lru-cache refuses it).
            sizeCalculation: (kept) => Math.max(1, Math.ceil(sizeOf(kept.value))),
          })
        : undefined;
  }

  /**
   * The value kept for `key` if the data version is still the one it was read at; otherwise
   * reads it with `read` (after reading the version) and keeps it. Without a version (or with
   * no budget) it only reads.
   */
  async through(key: string, version: DataVersionReader, read: () => Promise<T>): Promise<T> {
    if (this.kept === undefined) return read();
    const current = await version();
    if (current === undefined) return read();
    const kept = this.kept.get(key);
    if (kept !== undefined && kept.version === current) return kept.value;
    const value = await read();
    this.kept.set(key, { version: current, value });
    return value;
  }
}
