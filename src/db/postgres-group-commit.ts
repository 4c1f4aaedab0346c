/**
 * Group commit for PostgreSQL writes of one key (a traveller). Every write holds its key's
 * advisory lock from its first statement to its commit, and the commit waits for the WAL to
 * reach the disk: one traveller's writes, one after another, each pay a lock hand-over and a
 * flush. Writes of a key that arrive while this process runs a transaction of that key are
 * queued and then run together in the next one, under one lock and one commit, each inside its
 * own savepoint: a write that fails is rolled back alone, and every write is answered only once
 * the commit that holds it is done. Writes still run one after another, so each sees the state
 * the previous ones left (what the merge engine's serial guarantee needs), as with the lock
 * alone. Writes of different keys run in their own transactions, side by side.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from './database.js';
import { advisoryLockStatement } from './postgres-driver.js';

/** Most writes one transaction takes, so that a burst never holds a traveller's lock long. */
const MAX_BATCH = 32;

/** One queued write; its result type is erased so that writes of any type share a queue. */
interface Job {
  work: (trx: Transaction<Database>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Runs write units of work per key, batching those that wait into shared transactions. */
export class PostgresGroupCommit {
  /** The writes waiting for each key that has a transaction running. */
  private readonly queues = new Map<string, Job[]>();

  constructor(private readonly db: Kysely<Database>) {}

  /** Runs `work` under `key`'s lock in a transaction (shared with waiting writes) and commits. */
  run<T>(key: string, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // `work` resolves with a T, so its outcome is a T when handed to `resolve`.
      const job: Job = { work, resolve: resolve as (value: unknown) => void, reject };
      const queue = this.queues.get(key);
      if (queue) {
        queue.push(job);
        return;
      }
      this.queues.set(key, [job]);
      void this.drain(key);
    });
  }

  private async drain(key: string): Promise<void> {
    const queue = this.queues.get(key) as Job[];
    try {
      while (queue.length > 0) await this.runBatch(key, queue.splice(0, MAX_BATCH));
    } finally {
      this.queues.delete(key);
    }
  }

  /** Runs a batch to its commit and answers each of its writes. */
  private async runBatch(key: string, batch: Job[]): Promise<void> {
    const lock = sql.raw(advisoryLockStatement(key));
    if (batch.length === 1) {
      // Alone: a plain transaction, without the savepoint statements.
      const [job] = batch as [Job];
      try {
        job.resolve(
          await this.db.transaction().execute(async (trx) => {
            await lock.execute(trx);
            return job.work(trx);
          }),
        );
      } catch (error) {
        job.reject(error);
      }
      return;
    }
    const outcomes: Outcome[] = [];
    try {
      await this.db.transaction().execute(async (trx) => {
        await lock.execute(trx);
        await sql.raw('savepoint job').execute(trx);
        for (const [index, job] of batch.entries()) {
          const outcome = await attempt(trx, job.work);
          outcomes.push(outcome);
          // Closes this write's savepoint (undoing the write if it failed) and opens the next
          // one's, in one round trip; the commit releases the last.
          const close = outcome.ok ? '' : 'rollback to savepoint job; ';
          const next = index < batch.length - 1 ? '; savepoint job' : '';
          if (close || next) await sql.raw(`${close}release savepoint job${next}`).execute(trx);
        }
      });
    } catch (error) {
      // The transaction itself failed (commit, or a savepoint statement): nothing was written.
      for (const job of batch) job.reject(error);
      return;
    }
    batch.forEach((job, index) => {
      const outcome = outcomes[index] as Outcome;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }
}

/** Runs one write of a batch, inside its savepoint, and tells how it ended. */
async function attempt(
  trx: Transaction<Database>,
  work: (trx: Transaction<Database>) => Promise<unknown>,
): Promise<Outcome> {
  try {
    return { ok: true, value: await work(trx) };
  } catch (error) {
    return { ok: false, error };
  }
}
