/**
 * Trips as their details read them (v1.1 and v1.0 `GET …/trip/{id}`), kept per trip id while
 * the data version holds (store/versioned-cache.ts; TRIP_CACHE_MB per process).
 *
 * A details GET otherwise reads the whole row, stored rendering and document, on every request,
 * and at a million trips most of those reads miss SQLite's page cache. Only the row is kept:
 * who may read the trip is decided on every request from it, as before, and the caller's own
 * user comes from the request's principal.
 */
import type { Executor } from '../../../db/database.js';
import type { DataVersionReader } from './totals/trip-count-cache.js';
import { findKeepableTripRow, type KeptTripRow } from './trip.repository.js';
import { VersionedCache } from './versioned-cache.js';

/**
 * A trip's row as of a data version (none: no such trip). The object stays the same for as long
 * as the read is kept, so it keys what requests derive from it (the rendered answer's bytes).
 */
export interface KeptTrip {
  readonly row: KeptTripRow | undefined;
}

/**
 * Bytes a kept trip holds: its row's texts, and room for the answer rendered from it
 * (present/stored-itinerary-bytes.ts keeps those beside it).
 */
function estimatedBytes(kept: KeptTrip): number {
  if (kept.row === undefined) return 64;
  const rendering = kept.row.rendering?.length ?? 0;
  return 512 + kept.row.document.length + 2 * rendering;
}

/** Trip rows kept by id until the data version changes. */
export class TripReadCache {
  private readonly kept: VersionedCache<KeptTrip>;

  /** `maxBytes`: what all kept trips may hold together (0: read every time). */
  constructor(
    private readonly db: Executor,
    private readonly version: DataVersionReader,
    maxBytes: number,
  ) {
    this.kept = new VersionedCache(maxBytes, estimatedBytes);
  }

  /** Trip `id` as of now: kept if nothing has changed since it was read, else read afresh. */
  find(id: string): Promise<KeptTrip> {
    return this.kept.through(id, this.version, async () =>
      Object.freeze({ row: await findKeepableTripRow(this.db, id) }),
    );
  }
}
