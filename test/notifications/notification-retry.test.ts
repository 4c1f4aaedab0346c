/**
 * The retry policy of deliveries: the backoff between attempts, and what one attempt's outcome
 * makes of an outbox row (delivered, retried later, or dead past its deadline).
 */
import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  recordAttempt,
} from '../../src/modules/notifications/delivery/notification-retry.js';

describe('backoffDelay', () => {
  it('waits up to a ceiling that doubles from the base, capped, with full jitter', () => {
    const top = () => 0.999_999;
    expect(backoffDelay(1, 1000, 3_600_000, top)).toBe(999);
    expect(backoffDelay(2, 1000, 3_600_000, top)).toBe(1999);
    expect(backoffDelay(5, 1000, 3_600_000, top)).toBe(15_999);
    expect(backoffDelay(40, 1000, 3_600_000, top)).toBe(3_599_996);
    expect(backoffDelay(3, 1000, 3_600_000, () => 0)).toBe(0);
    expect(backoffDelay(3, 1000, 3_600_000, () => 0.5)).toBe(2000);
  });
});

describe('recordAttempt', () => {
  const policy = { backoffBaseMs: 1000, backoffCapMs: 3_600_000 };
  const failed = { ok: false as const, status: 500, error: 'HTTP 500', code: 'http_status' };
  const half = () => 0.5;

  it('delivers on success, whatever the age', () => {
    expect(
      recordAttempt({ ok: true, status: 204 }, { attempts: 3, expires_at: 10 }, 50, policy),
    ).toEqual({ kind: 'delivered', at: 50, status: 204 });
  });

  it('schedules a retry after the backoff of the failure count, never past the deadline', () => {
    expect(recordAttempt(failed, { attempts: 2, expires_at: 1e9 }, 1000, policy, half)).toEqual({
      kind: 'retry',
      at: 1000,
      status: 500,
      error: 'HTTP 500',
      nextAttemptAt: 1000 + 2000,
    });
    expect(
      recordAttempt(failed, { attempts: 9, expires_at: 5000 }, 1000, policy, half),
    ).toMatchObject({ kind: 'retry', nextAttemptAt: 5000 });
  });

  it('is dead when it fails at or after the deadline', () => {
    expect(recordAttempt(failed, { attempts: 4, expires_at: 1000 }, 1000, policy)).toEqual({
      kind: 'dead',
      at: 1000,
      status: 500,
      error: 'HTTP 500',
    });
  });
});
