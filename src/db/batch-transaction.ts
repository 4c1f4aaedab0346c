/**
 * Many units of work in one transaction, for bulk loads (`itinera import`): the write units of
 * work the services run through `DatabaseHandle.write` join an open transaction instead of
 * committing one by one, and each document's work runs in a savepoint, so that one that fails
 * is undone alone while the rest of the batch commits together.
 */
import { sql, type Transaction } from 'kysely';
import type { DatabaseHandle, Dialect } from './connect.js';
import type { Database } from './database.js';
import { advisoryLockStatement } from './postgres-driver.js';

/**
 * A database handle whose reads and writes all run in `trx`. Its `write` takes the key's lock
 * as `connectDatabase` does (PostgreSQL: an advisory lock, held to the batch's commit; SQLite:
 * the batch's own write transaction already excludes every other writer) and runs the work
 * there; it neither commits nor closes anything.
 */
export function batchHandle(trx: Transaction<Database>, dialect: Dialect): DatabaseHandle {
  const locked = new Set<string>();
  return {
    db: trx,
    dialect,
    async write(key, work) {
      if (dialect === 'postgres' && !locked.has(key)) {
        await sql.raw(advisoryLockStatement(key)).execute(trx);
        locked.add(key);
      }
      return work(trx);
    },
    close: async () => {},
  };
}

/**
 * Runs `work` inside a savepoint of `trx`: when it throws, what it wrote is rolled back (and, on
 * PostgreSQL, the transaction is usable again) and the error is rethrown.
 */
export async function inSavepoint<T>(
  trx: Transaction<Database>,
  work: () => Promise<T>,
): Promise<T> {
  await sql`savepoint batch_item`.execute(trx);
  try {
    const result = await work();
    await sql`release savepoint batch_item`.execute(trx);
    return result;
  } catch (error) {
    await sql`rollback to savepoint batch_item`.execute(trx);
    await sql`release savepoint batch_item`.execute(trx);
    throw error;
  }
}
