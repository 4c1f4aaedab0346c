/**
 * The unit of work of every itinerary write: one transaction under the traveller's lock, with
 * the change batch of the traveller's company, then the signal that reports were written.
 *
 * Two concurrent posts for one traveller must never make two trips that should be one, so the
 * merge decision and the write happen under a per-traveller lock (PostgreSQL: an advisory
 * transaction lock; SQLite: its one write transaction), see `DatabaseHandle.write`.
 */
import type { Transaction } from 'kysely';
import type { DatabaseHandle } from '../../db/connect.js';
import type { Database } from '../../db/database.js';
import type { TripOwner } from './rules/records.js';
import type { TripChangeBatch, TripChangeLog } from './trip-changes.js';

/** What a unit of work gets besides its transaction. */
export interface WriteContext {
  /** The time of the write (epoch ms), taken once the lock is held. */
  now: number;
  /** Where to report the write's trip changes; undefined when nobody listens. */
  changes: TripChangeBatch | undefined;
}

export class TravellerWrites {
  /** `changes`: where trip changes are reported (none: nothing is reported). */
  constructor(
    private readonly database: DatabaseHandle,
    private readonly changes?: TripChangeLog,
  ) {}

  /**
   * Runs `work` for `owner`'s trips in one transaction under the owner's lock and commits it.
   * `baseUrl`: the service's base URL as the caller reached it (reports link the trip).
   */
  async run<T>(
    owner: TripOwner,
    baseUrl: string,
    work: (trx: Transaction<Database>, context: WriteContext) => Promise<T>,
  ): Promise<T> {
    const result = await this.database.write(`traveller:${owner.id}`, async (trx) => {
      const now = Date.now();
      const changes = await this.changes?.open(trx, owner.company_id, baseUrl);
      return work(trx, { now, changes });
    });
    this.changes?.written();
    return result;
  }
}
