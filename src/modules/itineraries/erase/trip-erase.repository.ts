/**
 * The trips an anonymization goes through: every trip of one traveller, whatever its status or
 * agency (the rows themselves are read and written by store/).
 */
import type { Executor } from '../../../db/database.js';

/** The ids of a traveller's trips, oldest first. */
export async function findTripIdsOfOwner(db: Executor, ownerId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('trips')
    .select('id')
    .where('owner_id', '=', ownerId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => row.id);
}
