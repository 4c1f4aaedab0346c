/**
 * Slows down password guessing: after a few failed sign-ins for one user (or one client), the
 * next attempts are refused for an exponentially growing pause, whatever the password.
 *
 * The failures are counted in the database (sign-in-failure.repository.ts), so that every
 * worker and instance refuses at the same attempt: counted per process, N workers allowed N
 * times the budget. The cost is one small read per sign-in (both keys at once, before the
 * password hash is computed, so a locked account costs no hash) and a write only when there
 * is something to record: a failure, or a success that clears recorded failures. Keys are
 * HMACs under a server secret, so the table holds no login id or client id.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Executor } from '../../../db/database.js';
import { ensureServerSecret } from '../../../security/server-secret.repository.js';
import {
  addFailures,
  clearFailures,
  deleteExpiredFailures,
  type FailureCount,
  readFailures,
} from './sign-in-failure.repository.js';

export interface ThrottlePolicy {
  /** Failures allowed in the window before pauses start. */
  freeFailures: number;
  /** Failures are forgotten this long after the last one. */
  windowMs: number;
  /** The first pause; each further failure doubles it. */
  basePauseMs: number;
  maxPauseMs: number;
}

export const DEFAULT_POLICY: ThrottlePolicy = {
  freeFailures: 5,
  windowMs: 15 * 60_000,
  basePauseMs: 1_000,
  maxPauseMs: 5 * 60_000,
};

/** What is throttled: a user (by normalised login id) or a client (by client key). */
export type ThrottleScope = 'user' | 'client';

/**
 * Milliseconds until a key with `count` may try again under `policy`; 0 when it may now.
 * Pure: the policy's arithmetic, tested without a database.
 */
export function retryAfterMs(
  count: Pick<FailureCount, 'failures' | 'lastFailureAt'> | undefined,
  policy: ThrottlePolicy,
  now: number,
): number {
  if (!count || now - count.lastFailureAt > policy.windowMs) return 0;
  if (count.failures < policy.freeFailures) return 0;
  const excess = count.failures - policy.freeFailures;
  const pause = Math.min(policy.basePauseMs * 2 ** Math.min(excess, 40), policy.maxPauseMs);
  return Math.max(0, count.lastFailureAt + pause - now);
}

export interface SignInThrottleOptions {
  /** The policy of each scope (defaults: DEFAULT_POLICY). */
  policies?: Partial<Record<ThrottleScope, Partial<ThrottlePolicy>>>;
  now?: () => number;
  /**
   * The key of the HMACs naming the rows (base64url), the same in every process; default: the
   * server secret `sign-in-throttle`, created on first use. Read once per throttle.
   */
  hmacSecret?: () => Promise<string>;
}

// Expired rows are deleted by whichever process records a failure, at most this often and
// this many at once (rows come only from failures; a success never needs the purge).
const PURGE_INTERVAL_MS = 60_000;
const PURGE_BATCH = 1_000;
/** The name of the server secret keying the HMACs. */
export const SIGN_IN_THROTTLE_SECRET = 'sign-in-throttle';

/** One sign-in attempt's view of the throttle: checked once, then failed or succeeded. */
export interface ThrottledAttempt {
  /** Milliseconds until the attempt may be made; 0 when it may now. */
  readonly retryAfterMs: number;
  /** Counts a failure against every key of the attempt. */
  failed(): Promise<void>;
  /** Forgets the failures of the keys of `scope`, writing only if some were recorded. */
  succeeded(scope: ThrottleScope): Promise<void>;
}

interface Subject {
  scope: ThrottleScope;
  key: string;
  policy: ThrottlePolicy;
}

/** The throttle of failed sign-ins, shared through the database. */
export class SignInThrottle {
  private readonly policies: Record<ThrottleScope, ThrottlePolicy>;
  private readonly now: () => number;
  private readonly hmacSecret: () => Promise<string>;
  private secret: Promise<Buffer> | undefined;
  private lastPurge = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: Executor,
    options: SignInThrottleOptions = {},
  ) {
    this.policies = {
      user: { ...DEFAULT_POLICY, ...options.policies?.user },
      client: { ...DEFAULT_POLICY, ...options.policies?.client },
    };
    this.now = options.now ?? Date.now;
    this.hmacSecret =
      options.hmacSecret ??
      (() =>
        ensureServerSecret(
          db,
          SIGN_IN_THROTTLE_SECRET,
          randomBytes(32).toString('base64url'),
          Date.now(),
        ));
  }

  /**
   * Reads the failures of the given user and/or client (one query) and returns the attempt.
   * Callers refuse it when `retryAfterMs > 0`, before checking any password. `countOnly`:
   * keys a failure also counts against but that were checked just before (not read again).
   */
  async check(
    values: Partial<Record<ThrottleScope, string>>,
    countOnly: Partial<Record<ThrottleScope, string>> = {},
  ): Promise<ThrottledAttempt> {
    const secret = await this.hmacKey();
    const subjectsOf = (given: Partial<Record<ThrottleScope, string>>): Subject[] =>
      (Object.keys(given) as ThrottleScope[]).map((scope) => ({
        scope,
        key: keyOf(secret, scope, given[scope] ?? ''),
        policy: this.policies[scope],
      }));
    const read = subjectsOf(values);
    const subjects = [...read, ...subjectsOf(countOnly)];
    const counts = await readFailures(
      this.db,
      read.map((s) => s.key),
    );
    const now = this.now();
    const byKey = new Map(counts.map((count) => [count.key, count]));
    const wait = Math.max(0, ...read.map((s) => retryAfterMs(byKey.get(s.key), s.policy, now)));
    return {
      retryAfterMs: wait,
      failed: () => this.recordFailure(subjects),
      succeeded: async (scope) => {
        for (const s of subjects) {
          if (s.scope === scope && byKey.has(s.key)) await clearFailures(this.db, s.key);
        }
      },
    };
  }

  /** Counts a failure for a client, outside a password check (auth tokens). */
  async recordClientFailure(clientKey: string): Promise<void> {
    const secret = await this.hmacKey();
    await this.recordFailure([
      { scope: 'client', key: keyOf(secret, 'client', clientKey), policy: this.policies.client },
    ]);
  }

  private async recordFailure(subjects: readonly Subject[]): Promise<void> {
    const now = this.now();
    await addFailures(
      this.db,
      subjects.map((s) => ({ key: s.key, expiresAt: now + s.policy.windowMs })),
      now,
    );
    if (now - this.lastPurge >= PURGE_INTERVAL_MS) {
      this.lastPurge = now;
      await deleteExpiredFailures(this.db, now, PURGE_BATCH);
    }
  }

  private hmacKey(): Promise<Buffer> {
    if (!this.secret) {
      // Shared by every process (the same login id must map to the same row everywhere);
      // read once per process.
      this.secret = this.hmacSecret().then((secret) => Buffer.from(secret, 'base64url'));
      this.secret.catch(() => {
        this.secret = undefined;
      });
    }
    return this.secret;
  }
}

/** The stored key of a user or client: an HMAC, so the table holds neither in clear. */
function keyOf(secret: Buffer, scope: ThrottleScope, value: string): string {
  return createHmac('sha256', secret).update(`${scope}\u0000${value}`).digest('base64url');
}
