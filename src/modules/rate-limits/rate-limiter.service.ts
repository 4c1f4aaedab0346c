/**
 * Request limits per (app, company) that hold across cluster workers and instances sharing one
 * database, without a database write on any request's path.
 *
 * Each process decides from `global + in flight + pending`: `global` is the total of all
 * processes as last read from `rate_limit_counters`, `pending` what this process allowed since
 * its last flush. Every `flushIntervalMs` it adds its pending counts to the shared counters
 * with one upsert that returns the new totals, and re-reads the totals of pairs it served
 * recently but has nothing to add for. Other processes' requests therefore become visible
 * within about one flush interval: together the processes may overshoot a limit by the
 * requests they allow in that interval (with 250 ms at 4,000/minute, a handful), never by a
 * multiple of the limit.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import {
  addToCounters,
  type CounterDelta,
  type CounterTotal,
  counterKeyOf,
  deleteExpiredCounters,
  inChunks,
  readCounters,
} from './rate-limit-counter.repository.js';
import {
  decide,
  policiesOf,
  policyHeader,
  type RateDecision,
  secondsUntilReset,
  type WindowPolicy,
  windowEnd,
  windowStart,
} from './rate-windows.js';

export interface RateLimiterOptions {
  /** Requests per minute per (app, company); 0: none. */
  perMinute: number;
  /** Requests per hour per (app, company); 0: none. */
  perHour: number;
  /** The clock (epoch ms); tests move it instead of waiting. */
  now?: () => number;
  /** How often counts are shared; the bound on overshoot across processes. */
  flushIntervalMs?: number;
  /** Where flush failures are reported (they never stop the process). */
  log: { error(object: object, message: string): void };
}

/** One window's counts for a pair, as this process knows them. */
interface Bucket {
  start: number;
  global: number;
  inFlight: number;
  pending: number;
}

interface Tally {
  appId: string;
  companyId: string;
  /** One per policy, in the order of `policies`. */
  buckets: Bucket[];
  lastSeen: number;
}

/** Counts on their way to the database. */
interface Outgoing {
  bucket: Bucket;
  delta: CounterDelta;
  key: string;
}

const DEFAULT_FLUSH_INTERVAL_MS = 250;
// Pairs served within this long are re-read on each flush even with nothing to add, so that a
// process notices what the others counted before the pair's next request.
const REFRESH_RECENT_MS = 60_000;
const CLEANUP_INTERVAL_MS = 60_000;
// A flush failing every 250 ms would flood the log.
const REPORT_INTERVAL_MS = 60_000;
/** Counts requests per (app, company) and decides whether each may proceed. */
export class RateLimiter {
  readonly policies: readonly WindowPolicy[];
  /** The `RateLimit-Policy` header value. */
  readonly policyHeader: string;
  private readonly tallies = new Map<string, Tally>();
  private readonly now: () => number;
  private readonly flushIntervalMs: number;
  private readonly log: RateLimiterOptions['log'];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private lastCleanup = 0;
  private addedSinceCleanup = false;
  private lastReport = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: Kysely<Database>,
    options: RateLimiterOptions,
  ) {
    this.policies = policiesOf(options.perMinute, options.perHour);
    this.policyHeader = policyHeader(this.policies);
    this.now = options.now ?? Date.now;
    this.flushIntervalMs = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
    this.log = options.log;
  }

  /** False when every limit is 0. */
  get enabled(): boolean {
    return this.policies.length > 0;
  }

  /** Starts sharing counts periodically; the timer does not keep the process alive. */
  start(): void {
    if (!this.enabled || this.timer) return;
    this.timer = setInterval(() => {
      if (!this.flushing) void this.flush();
    }, this.flushIntervalMs);
    this.timer.unref();
  }

  /** Stops the timer and shares what is still pending. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /** Decides one request of `appId` for `companyId`, counting it when allowed. */
  take(appId: string, companyId: string): RateDecision {
    const now = this.now();
    const key = `${appId}\u0000${companyId}`;
    let tally = this.tallies.get(key);
    if (!tally) {
      tally = { appId, companyId, buckets: this.policies.map(() => emptyBucket(0)), lastSeen: now };
      this.tallies.set(key, tally);
    }
    tally.lastSeen = now;
    const buckets = this.currentBuckets(tally, now);
    const decision = decide(
      this.policies.map((policy, i) => {
        const bucket = buckets[i] as Bucket;
        return {
          policy,
          used: bucket.global + bucket.inFlight + bucket.pending,
          resetSeconds: secondsUntilReset(now, policy.seconds),
        };
      }),
    );
    // Refused requests are not counted: a client that keeps retrying is not locked out longer.
    if (decision.allowed) for (const bucket of buckets) bucket.pending += 1;
    return decision;
  }

  /**
   * Adds this process's pending counts to the shared counters and reads back the totals. Never
   * rejects: a database error is logged and the counts are kept for the next flush.
   */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    this.flushing = this.share().finally(() => {
      this.flushing = undefined;
    });
    await this.flushing;
  }

  private currentBuckets(tally: Tally, now: number): Bucket[] {
    this.policies.forEach((policy, i) => {
      const start = windowStart(now, policy.seconds);
      // A new window starts from zero; what was pending for the old one no longer matters.
      if (tally.buckets[i]?.start !== start) tally.buckets[i] = emptyBucket(start);
    });
    return tally.buckets;
  }

  private async share(): Promise<void> {
    if (!this.enabled) return;
    const now = this.now();
    const sent: Outgoing[] = [];
    const recent: Tally[] = [];
    for (const tally of this.tallies.values()) {
      let adding = false;
      this.policies.forEach((policy, i) => {
        const bucket = tally.buckets[i] as Bucket;
        if (bucket.pending === 0) return;
        adding = true;
        const delta: CounterDelta = {
          appId: tally.appId,
          companyId: tally.companyId,
          windowSeconds: policy.seconds,
          windowStart: bucket.start,
          count: bucket.pending,
          expiresAt: windowEnd(bucket.start, policy.seconds),
        };
        bucket.inFlight += bucket.pending;
        bucket.pending = 0;
        sent.push({ bucket, delta, key: counterKeyOf(delta) });
      });
      if (!adding && now - tally.lastSeen <= REFRESH_RECENT_MS) recent.push(tally);
    }
    // One order for every process: concurrent upserts then lock rows in the same order.
    sent.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const part of inChunks(sent)) await this.add(part);
    for (const part of inChunks(recent)) await this.refresh(part, now);
    // Only processes that write counters delete old ones: an idle process writes nothing.
    if (this.addedSinceCleanup && now - this.lastCleanup >= CLEANUP_INTERVAL_MS) {
      await this.cleanUp(now);
    }
  }

  private async add(part: Outgoing[]): Promise<void> {
    let totals: CounterTotal[];
    try {
      totals = await addToCounters(
        this.db,
        part.map((p) => p.delta),
      );
    } catch (error) {
      this.report(error, 'rate limits: could not share request counts');
      // Keep the counts for the next flush. (A bucket is replaced, never changed, when its
      // window ends, so one of an ended window is simply no longer looked at.)
      for (const { bucket, delta } of part) {
        bucket.inFlight -= delta.count;
        bucket.pending += delta.count;
      }
      return;
    }
    this.addedSinceCleanup = true;
    const byKey = new Map(totals.map((t) => [counterKeyOf(t), t.count]));
    for (const { bucket, delta, key } of part) {
      bucket.inFlight -= delta.count;
      bucket.global = byKey.get(key) ?? bucket.global + delta.count;
    }
  }

  private async refresh(part: Tally[], now: number): Promise<void> {
    const windows = this.policies.map((p) => ({
      seconds: p.seconds,
      start: windowStart(now, p.seconds),
    }));
    let totals: CounterTotal[];
    try {
      totals = await readCounters(this.db, part, windows);
    } catch (error) {
      this.report(error, 'rate limits: could not read request counts');
      return;
    }
    const byKey = new Map(totals.map((t) => [counterKeyOf(t), t.count]));
    for (const tally of part) {
      windows.forEach((window, i) => {
        let bucket = tally.buckets[i] as Bucket;
        // Move an idle bucket on to the window read; never move one back (requests taken
        // meanwhile may already count in a later window).
        if (bucket.start < window.start && bucket.pending === 0 && bucket.inFlight === 0) {
          bucket = emptyBucket(window.start);
          tally.buckets[i] = bucket;
        }
        if (bucket.start !== window.start) return;
        const total = byKey.get(
          counterKeyOf({ ...tally, windowSeconds: window.seconds, windowStart: window.start }),
        );
        // Totals only grow within a window; never lower what this process already knows.
        bucket.global = Math.max(bucket.global, total ?? 0);
      });
    }
  }

  private async cleanUp(now: number): Promise<void> {
    this.lastCleanup = now;
    this.addedSinceCleanup = false;
    const longest = Math.max(...this.policies.map((p) => p.seconds)) * 1000;
    for (const [key, tally] of this.tallies) {
      const idle = tally.buckets.every((b) => b.pending === 0 && b.inFlight === 0);
      if (idle && now - tally.lastSeen > longest) this.tallies.delete(key);
    }
    try {
      await deleteExpiredCounters(this.db, now);
    } catch (error) {
      this.report(error, 'rate limits: could not delete expired counters');
    }
  }

  /** Logs a database error, once a minute at most while the database stays unreachable. */
  private report(error: unknown, message: string): void {
    const now = Date.now();
    if (now - this.lastReport < REPORT_INTERVAL_MS) return;
    this.lastReport = now;
    this.log.error({ err: error }, message);
  }
}

function emptyBucket(start: number): Bucket {
  return { start, global: 0, inFlight: 0, pending: 0 };
}
