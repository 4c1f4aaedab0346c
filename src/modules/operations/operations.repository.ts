/** The database round trip of the readiness check. */
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';

/** Runs the most trivial query there is; rejects when the database cannot answer. */
export async function pingDatabase(db: Executor): Promise<void> {
  await sql`select 1`.execute(db);
}
