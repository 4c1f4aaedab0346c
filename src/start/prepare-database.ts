/**
 * The database work a cluster primary does once before forking: migrations, the secrets-at-rest
 * check (and re-encryption) and the first token signing key. Workers then find them in place
 * instead of racing to do them.
 */
import type { Config } from '../config.js';
import { connectDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { prepareTokenKeys } from '../modules/oauth/keys/keys-at-rest.js';

/**
 * Brings the schema up to date, checks and re-encrypts the stored secrets (SECRETS_KEY) and
 * creates the first signing key, on a connection of its own.
 */
export async function prepareDatabase(config: Readonly<Config>): Promise<void> {
  const handle = connectDatabase(config.database);
  try {
    await migrateToLatest(handle.db, handle.dialect);
    // Before forking: the check, the re-encryption and the first key happen once, here.
    await prepareTokenKeys(handle, config);
  } finally {
    await handle.close();
  }
}
