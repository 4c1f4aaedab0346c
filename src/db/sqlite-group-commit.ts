/**
 * Group commit for SQLite writes. SQLite runs one write transaction at a time, and a commit
 * (writing the changed pages to the WAL) costs as much as the statements before it. Writes that
 * arrive while a transaction runs are queued and then run together in the next transaction,
 * each inside its own savepoint: a write that fails is rolled back alone, and every write is
 * answered only after the commit that makes it durable. Writes still run one after another, so
 * each sees the state the previous ones left (what the merge engine's serial guarantee needs).
 *
 * With `syncAfterCommit` (SQLITE_SYNCHRONOUS=deferred), SQLite commits without syncing and the
 * write-ahead log is synced here, off the event loop, before the batch's writes are answered: a
 * synchronous sync would stop the whole process for each commit, so that no other request
 * could reach its write meanwhile and batches stayed at one write. The next batch waits for the
 * sync, and gathers the writes that arrived during it.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from './database.js';
import { EVERY_TURN, type WriteTurns } from './sqlite-write-turns.js';

/** Most writes one transaction takes, so that a burst never holds the write lock for long. */
const MAX_BATCH = 32;

interface Job<T> {
  work: (trx: Transaction<Database>) => Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/** Runs write units of work, batching those that wait into shared transactions. */
export class SqliteGroupCommit {
  // biome-ignore lint/suspicious/noExplicitAny: jobs of any result type share the queue
  private readonly queue: Job<any>[] = [];
  private draining = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly turns: WriteTurns = EVERY_TURN,
    private readonly syncAfterCommit?: () => Promise<void>,
  ) {}

  /** Runs `work` in a write transaction (shared with other waiting writes) and commits it. */
  run<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        // Writes that arrive while this process waits for its turn join the batch.
        await this.turns.take();
        let answer: () => Promise<void>;
        try {
          answer = await this.runBatch(this.queue.splice(0, MAX_BATCH));
        } finally {
          // Committed: the other workers may write while this one syncs and answers.
          this.turns.giveBack();
        }
        await answer();
      }
    } finally {
      this.draining = false;
    }
  }

  /**
   * Runs a batch to its commit, and returns what answers its writes: each is answered once the
   * commit is on the disk (`syncAfterCommit`), with its value or its own error.
   */
  // biome-ignore lint/suspicious/noExplicitAny: see `queue`
  private async runBatch(batch: Job<any>[]): Promise<() => Promise<void>> {
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    const failAll = (error: unknown) => async () => {
      for (const job of batch) job.reject(error);
    };
    if (batch.length === 1) {
      // Alone: a plain transaction, without the savepoint statements.
      const [job] = batch as [Job<unknown>];
      try {
        outcomes.push({ ok: true, value: await this.db.transaction().execute(job.work) });
      } catch (error) {
        // Rolled back: nothing to sync.
        return failAll(error);
      }
    } else {
      let trx: Awaited<ReturnType<ReturnType<Kysely<Database>['startTransaction']>['execute']>>;
      try {
        trx = await this.db.startTransaction().execute();
      } catch (error) {
        return failAll(error);
      }
      try {
        for (const job of batch) {
          await sql`savepoint job`.execute(trx);
          try {
            const value = await job.work(trx);
            await sql`release savepoint job`.execute(trx);
            outcomes.push({ ok: true, value });
          } catch (error) {
            // Undo this write only; the transaction and the other writes go on.
            await sql`rollback to savepoint job`.execute(trx);
            await sql`release savepoint job`.execute(trx);
            outcomes.push({ ok: false, error });
          }
        }
        await trx.commit().execute();
      } catch (error) {
        // The transaction itself failed (commit, or a savepoint statement): nothing was written.
        await trx
          .rollback()
          .execute()
          .catch(() => {});
        return failAll(error);
      }
    }
    return async () => {
      try {
        await this.syncAfterCommit?.();
      } catch (error) {
        // Committed but not known to be on the disk: no write of the batch is acknowledged.
        for (const job of batch) job.reject(error);
        return;
      }
      batch.forEach((job, index) => {
        const outcome = outcomes[index];
        if (outcome?.ok) job.resolve(outcome.value);
        else job.reject(outcome?.error);
      });
    };
  }
}
