import { describe, expect, it } from 'vitest';
import { SignInThrottle } from './sign-in-throttle.js';

describe('SignInThrottle', () => {
  it('lets the first failures through, then pauses for a doubling time', () => {
    const throttle = new SignInThrottle({ freeFailures: 3, basePauseMs: 1000 });
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) {
      expect(throttle.retryAfterMs('u', t0)).toBe(0);
      throttle.recordFailure('u', t0);
    }
    expect(throttle.retryAfterMs('u', t0)).toBe(1000);
    expect(throttle.retryAfterMs('u', t0 + 1000)).toBe(0);
    throttle.recordFailure('u', t0 + 1000);
    expect(throttle.retryAfterMs('u', t0 + 1000)).toBe(2000);
    expect(throttle.retryAfterMs('other', t0)).toBe(0);
  });

  it('forgets failures after a success or after the window', () => {
    const throttle = new SignInThrottle({ freeFailures: 1, windowMs: 10_000 });
    throttle.recordFailure('a', 0);
    throttle.recordFailure('b', 0);
    expect(throttle.retryAfterMs('a', 0)).toBeGreaterThan(0);
    throttle.recordSuccess('a');
    expect(throttle.retryAfterMs('a', 0)).toBe(0);
    expect(throttle.retryAfterMs('b', 20_000)).toBe(0);
  });

  it('remembers a bounded number of keys', () => {
    const throttle = new SignInThrottle({ freeFailures: 0, maxKeys: 2 });
    throttle.recordFailure('a', 0);
    throttle.recordFailure('b', 0);
    throttle.recordFailure('c', 0);
    expect(throttle.retryAfterMs('a', 0)).toBe(0);
    expect(throttle.retryAfterMs('c', 0)).toBeGreaterThan(0);
  });
});
