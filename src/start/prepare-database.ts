/**
 * The database work a cluster primary does once before forking: migrations and the first token
 * signing key. Workers then find both in place instead of racing to create them.
 */
import type { Config } from '../config.js';
import { connectDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { TokenKeys } from '../modules/oauth/keys/access-token.js';

/** Brings the schema up to date and creates the first signing key, on a connection of its own. */
export async function prepareDatabase(config: Readonly<Config>): Promise<void> {
  const handle = connectDatabase(config.database);
  try {
    await migrateToLatest(handle.db, handle.dialect);
    await TokenKeys.load(handle.db, config.tokenIssuer);
  } finally {
    await handle.close();
  }
}
