/**
 * `trips.version`: 1 when a trip is inserted, plus one at every update (trip.repository.ts
 * `updateTrip`). Trip ETags are made from it (present/trip-etag.ts).
 */
import { sql } from 'kysely';
import { selectCompiled } from '../../../db/compiled-once.js';
import type { Executor } from '../../../db/database.js';

/**
 * Adds one to a trip's version and returns the new one. Added in SQL rather than set from the
 * version read: even a write that did not read the trip under its owner's lock could not give
 * two states of a trip one version.
 */
export async function bumpTripVersion(db: Executor, id: string): Promise<number> {
  const [row] = await selectCompiled<{ version: number }>(
    db,
    'bump-trip-version',
    (db, [tripId]) =>
      db
        .updateTable('trips')
        .set({ version: sql<number>`version + 1` })
        .where('id', '=', tripId as string)
        .returning('version'),
    [id],
  );
  if (!row) throw new Error(`The trip ${id} to update does not exist.`);
  return Number(row.version);
}
