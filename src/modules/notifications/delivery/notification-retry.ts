/**
 * What an attempt's outcome makes of a notification: delivered, retried later, or dead. Pure,
 * so that the retry schedule is tested without waiting for it.
 */
import type { AttemptRecord } from '../notification.repository.js';
import type { SendResult } from './notification-sender.js';

export interface RetryPolicy {
  /** Backoff ceiling after the first failure; doubles with each further failure. */
  backoffBaseMs: number;
  /** Largest backoff ceiling. */
  backoffCapMs: number;
}

/**
 * The wait before the next attempt after `failures` failed ones: a random time up to
 * `min(cap, base · 2^(failures-1))` ("full jitter"), so that receivers coming back are not hit
 * by every retry at once.
 */
export function backoffDelay(
  failures: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 40));
  return Math.floor(random() * ceiling);
}

/**
 * The record of an attempt made at `at` on a row that had `attempts` failed attempts before
 * and is given up at `expiresAt`. A failure at or after `expiresAt` is final; otherwise the
 * next attempt is scheduled no later than `expiresAt`, so the last try happens at the deadline.
 */
export function recordAttempt(
  result: SendResult,
  row: { attempts: number; expires_at: number },
  at: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): AttemptRecord {
  if (result.ok) return { kind: 'delivered', at, status: result.status };
  if (at >= row.expires_at) {
    return { kind: 'dead', at, status: result.status, error: result.error };
  }
  const wait = backoffDelay(row.attempts + 1, policy.backoffBaseMs, policy.backoffCapMs, random);
  return {
    kind: 'retry',
    at,
    status: result.status,
    error: result.error,
    nextAttemptAt: Math.min(at + wait, row.expires_at),
  };
}
