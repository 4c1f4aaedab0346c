import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, retryAfterMs } from './sign-in-throttle.js';

describe('retryAfterMs (the throttle policy)', () => {
  const policy = { ...DEFAULT_POLICY, freeFailures: 3, basePauseMs: 1000, windowMs: 10_000 };
  const t0 = 1_000_000;

  it('lets the free failures through, then pauses for a doubling time', () => {
    expect(retryAfterMs(undefined, policy, t0)).toBe(0);
    expect(retryAfterMs({ failures: 2, lastFailureAt: t0 }, policy, t0)).toBe(0);
    expect(retryAfterMs({ failures: 3, lastFailureAt: t0 }, policy, t0)).toBe(1000);
    expect(retryAfterMs({ failures: 3, lastFailureAt: t0 }, policy, t0 + 400)).toBe(600);
    expect(retryAfterMs({ failures: 3, lastFailureAt: t0 }, policy, t0 + 1000)).toBe(0);
    expect(retryAfterMs({ failures: 4, lastFailureAt: t0 }, policy, t0)).toBe(2000);
    expect(retryAfterMs({ failures: 5, lastFailureAt: t0 }, policy, t0)).toBe(4000);
  });

  it('caps the pause, and forgets failures older than the window', () => {
    const capped = { ...policy, windowMs: 10 * 3_600_000 };
    expect(retryAfterMs({ failures: 500, lastFailureAt: t0 }, capped, t0)).toBe(
      DEFAULT_POLICY.maxPauseMs,
    );
    expect(retryAfterMs({ failures: 5, lastFailureAt: t0 }, policy, t0 + 10_001)).toBe(0);
  });
});
