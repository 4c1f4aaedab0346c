/**
 * Slows down password guessing: after a few failed sign-ins for one user (or one client), the
 * next attempts are refused for an exponentially growing pause, whatever the password. Kept in
 * memory, per process: it bounds guessing speed without a write per sign-in.
 */
import { LRUCache } from 'lru-cache';

export interface ThrottleOptions {
  /** Failures allowed in the window before pauses start. */
  freeFailures: number;
  /** Failures older than this are forgotten. */
  windowMs: number;
  /** The first pause; each further failure doubles it. */
  basePauseMs: number;
  maxPauseMs: number;
  /** Keys remembered at most (oldest forgotten first), so floods cannot exhaust memory. */
  maxKeys: number;
}

const DEFAULTS: ThrottleOptions = {
  freeFailures: 5,
  windowMs: 15 * 60_000,
  basePauseMs: 1_000,
  maxPauseMs: 5 * 60_000,
  maxKeys: 100_000,
};

interface Entry {
  failures: number;
  firstFailure: number;
  lastFailure: number;
}

export class SignInThrottle {
  private readonly entries: LRUCache<string, Entry>;
  private readonly options: ThrottleOptions;

  constructor(options: Partial<ThrottleOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
    // Bounded: a flood of failures for made-up names forgets the least recently failing keys.
    this.entries = new LRUCache({ max: this.options.maxKeys });
  }

  /** Milliseconds until `key` may try again; 0 when it may now. */
  retryAfterMs(key: string, now = Date.now()): number {
    const entry = this.current(key, now);
    if (!entry || entry.failures < this.options.freeFailures) return 0;
    const excess = entry.failures - this.options.freeFailures;
    const pause = Math.min(this.options.basePauseMs * 2 ** excess, this.options.maxPauseMs);
    return Math.max(0, entry.lastFailure + pause - now);
  }

  /** Counts a failed attempt for `key`. */
  recordFailure(key: string, now = Date.now()): void {
    const entry = this.current(key, now);
    if (entry) {
      entry.failures += 1;
      entry.lastFailure = now;
      return;
    }
    this.entries.set(key, { failures: 1, firstFailure: now, lastFailure: now });
  }

  /** Forgets the failures of `key` (after a successful sign-in). */
  recordSuccess(key: string): void {
    this.entries.delete(key);
  }

  private current(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && now - entry.lastFailure > this.options.windowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}
