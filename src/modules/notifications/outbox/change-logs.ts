/**
 * One change log made of several (the v1.1 notification outbox and the ESS outbox): a write
 * reports each change to every log that has listeners for the company, in its transaction.
 */
import type { Transaction } from 'kysely';
import type { Database, Executor } from '../../../db/database.js';
import type { TripChange, TripChangeBatch, TripChangeLog } from '../module-ports.js';

/** The logs as one; a company nobody listens to still costs each log its one look-up. */
export function combinedChangeLog(logs: readonly TripChangeLog[]): TripChangeLog {
  return {
    async open(db: Executor, companyId: string, baseUrl: string) {
      const batches: TripChangeBatch[] = [];
      for (const log of logs) {
        const batch = await log.open(db, companyId, baseUrl);
        if (batch) batches.push(batch);
      }
      if (batches.length === 0) return undefined;
      if (batches.length === 1) return batches[0];
      return {
        async record(trx: Transaction<Database>, change: TripChange) {
          for (const batch of batches) await batch.record(trx, change);
        },
      };
    },
    written() {
      for (const log of logs) log.written();
    },
    async forget(trx: Transaction<Database>, tripIds: readonly string[]) {
      for (const log of logs) await log.forget(trx, tripIds);
    },
  };
}
