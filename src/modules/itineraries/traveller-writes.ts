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

/**
 * What a route may add to a write's unit of work, inside its transaction (the services know
 * nothing of the HTTP headers these come from).
 */
export interface WriteHooks<T> {
  /**
   * Checks the trip about to be replaced or cancelled, as read under the lock (`If-Match`):
   * throws to refuse the write before anything is written.
   */
  precondition?: (trip: { id: string; version: number; owner: TripOwner }) => void;
  /**
   * Runs after the work, before the commit, with its result (an `Idempotency-Key`'s answer is
   * stored there): throwing rolls the whole write back.
   */
  beforeCommit?: (trx: Transaction<Database>, result: T) => Promise<void>;
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
    hooks?: WriteHooks<T>,
  ): Promise<T> {
    // Who listens is read before the transaction, not under the owner's lock, which covers the
    // owner's trips, not the company's subscriptions. Not beside it: a transaction waiting for
    // a look-up that waits for a pooled connection could hold every connection of the pool.
    const changes = await this.changes?.open(this.database.db, owner.company_id, baseUrl);
    const result = await this.database.write(`traveller:${owner.id}`, async (trx) => {
      const now = Date.now();
      const done = await work(trx, { now, changes });
      await hooks?.beforeCommit?.(trx, done);
      return done;
    });
    this.changes?.written();
    return result;
  }

  /** `run` with `hooks` added to the unit of work (none: `run` as it is). */
  with<T>(hooks: WriteHooks<T> | undefined): {
    run(
      owner: TripOwner,
      baseUrl: string,
      work: (trx: Transaction<Database>, context: WriteContext) => Promise<T>,
    ): Promise<T>;
  } {
    return { run: (owner, baseUrl, work) => this.run(owner, baseUrl, work, hooks) };
  }
}
