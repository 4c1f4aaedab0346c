/**
 * Safe retries (Itinera's extension; Concur v1.1 has none): the first request with an
 * `Idempotency-Key` claims the key, and its answer is stored with its write, in the write's
 * transaction; a retry with the same key and the same request gets that answer again.
 *
 * The database coordinates: the claim is an insert into a table keyed by (scope, key), so of
 * concurrent requests in any processes or instances exactly one inserts. The others wait for
 * its answer (polling, bounded), then replay it, or answer 409 if it is still running. A claim
 * carries a lease: should its holder die, a retry after the lease takes the key over; should
 * the holder still be at work, its completion finds the claim gone and rolls its write back, so
 * a key never makes two writes.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, Executor } from '../../db/database.js';
import { errors } from '../../errors.js';
import {
  completeClaim,
  deleteClaim,
  deleteExpiredKey,
  findKey,
  insertClaim,
  type KeyId,
  purgeExpiredKeys,
  type StoredReply,
  takeOverClaim,
} from './idempotency.repository.js';

export interface IdempotencyTuning {
  /** How long an answer is kept for replays (at least 24 h). */
  ttlMs: number;
  /** How long a claim holds before a retry may take it over. */
  leaseMs: number;
  /** How long a concurrent duplicate waits for the first's answer before 409. */
  waitMs: number;
  /** How often it looks meanwhile. */
  pollMs: number;
  /** Expired keys deleted per purge, and how often a process purges. */
  purgeBatch: number;
  purgeEveryMs: number;
  /** The clock of leases and expiry (epoch ms); tests move it. */
  now: () => number;
}

export const DEFAULT_IDEMPOTENCY_TUNING: IdempotencyTuning = {
  ttlMs: 24 * 60 * 60 * 1000,
  leaseMs: 60_000,
  waitMs: 10_000,
  pollMs: 50,
  purgeBatch: 1000,
  purgeEveryMs: 10_000,
  now: Date.now,
};

/** A key this request holds: it completes it with its answer, or releases it. */
export interface Claim extends KeyId {
  token: string;
}

/** What the request does: replay a stored answer, or go on holding the claim. */
export type Begun = { kind: 'replay'; reply: StoredReply } | { kind: 'claimed'; claim: Claim };

export class IdempotencyService {
  private readonly tuning: IdempotencyTuning;
  private lastPurge = 0;

  constructor(
    private readonly db: Kysely<Database>,
    tuning: Partial<IdempotencyTuning> = {},
  ) {
    this.tuning = { ...DEFAULT_IDEMPOTENCY_TUNING, ...tuning };
  }

  /**
   * Claims `key` for the request of digest `requestDigest`, or finds the answer to replay.
   * 422 when the key was used for another request; 409 when its first request is still
   * running after the wait.
   */
  async begin(id: KeyId, requestDigest: string): Promise<Begun> {
    await this.purgeNowAndThen();
    const { ttlMs, leaseMs, waitMs, pollMs, now } = this.tuning;
    // The wait is measured in real time; `now` is the clock of leases and expiry.
    const started = performance.now();
    for (;;) {
      const at = now();
      const token = randomUUID();
      const claim = { ...id, token };
      const inserted = await insertClaim(this.db, {
        ...claim,
        requestDigest,
        claimedUntil: at + leaseMs,
        now: at,
        expiresAt: at + ttlMs,
      });
      if (inserted) return { kind: 'claimed', claim };
      const found = await findKey(this.db, id);
      if (!found) continue; // deleted since (released, or purged): claim it again
      if (found.expiresAt < at) {
        await deleteExpiredKey(this.db, id, at);
        continue;
      }
      if (found.requestDigest !== requestDigest) throw errors.idempotencyKeyReused();
      if (found.reply) return { kind: 'replay', reply: found.reply };
      if (found.claimedUntil < at && (await takeOverClaim(this.db, id, token, at + leaseMs, at))) {
        return { kind: 'claimed', claim };
      }
      if (performance.now() - started >= waitMs) throw errors.idempotencyKeyInUse(1);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /**
   * Stores `reply` as the answer of `claim`, in the write's transaction `trx`. Throws (409)
   * when the claim was taken over meanwhile, so that the write is rolled back.
   */
  async complete(trx: Executor, claim: Claim, reply: StoredReply): Promise<void> {
    if (!(await completeClaim(trx, claim, claim.token, reply))) {
      throw errors.conflict(
        'This Idempotency-Key was taken over by a retry while the request was running; ' +
          'nothing was written by this request.',
      );
    }
  }

  /** Gives the key up: the request ended without writing (an error), so a retry may run. */
  async release(claim: Claim): Promise<void> {
    await deleteClaim(this.db, claim, claim.token);
  }

  /** Deletes a batch of expired keys, at most once per interval in this process. */
  private async purgeNowAndThen(): Promise<void> {
    const at = this.tuning.now();
    if (at - this.lastPurge < this.tuning.purgeEveryMs) return;
    this.lastPurge = at;
    await purgeExpiredKeys(this.db, at, this.tuning.purgeBatch);
  }
}
