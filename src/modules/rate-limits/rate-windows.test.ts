import { describe, expect, it } from 'vitest';
import {
  decide,
  policiesOf,
  policyHeader,
  secondsUntilReset,
  type WindowPolicy,
  windowEnd,
  windowStart,
} from './rate-windows.js';

const MINUTE: WindowPolicy = { limit: 5, seconds: 60 };
const HOUR: WindowPolicy = { limit: 8, seconds: 3600 };
const T = Date.UTC(2030, 0, 1, 12, 34, 56, 789);

describe('fixed windows', () => {
  it('aligns windows to the epoch', () => {
    expect(windowStart(T, 60)).toBe(Date.UTC(2030, 0, 1, 12, 34));
    expect(windowEnd(T, 60)).toBe(Date.UTC(2030, 0, 1, 12, 35));
    expect(windowStart(T, 3600)).toBe(Date.UTC(2030, 0, 1, 12));
    expect(windowEnd(T, 3600)).toBe(Date.UTC(2030, 0, 1, 13));
    // The first instant of a window belongs to it, the last millisecond to the one before.
    const minute = Date.UTC(2030, 0, 1, 12, 35);
    expect(windowStart(minute, 60)).toBe(minute);
    expect(windowStart(minute - 1, 60)).toBe(minute - 60_000);
  });

  it('counts whole seconds until the reset, rounded up, between 1 and the window length', () => {
    expect(secondsUntilReset(T, 60)).toBe(4);
    expect(secondsUntilReset(T, 3600)).toBe(1504);
    const minute = Date.UTC(2030, 0, 1, 12, 35);
    expect(secondsUntilReset(minute, 60)).toBe(60);
    expect(secondsUntilReset(minute - 1, 60)).toBe(1);
    expect(secondsUntilReset(minute - 1000, 60)).toBe(1);
    expect(secondsUntilReset(minute - 1001, 60)).toBe(2);
  });

  it('switches a window off with a limit of 0 and names the rest in RateLimit-Policy', () => {
    expect(policyHeader(policiesOf(4000, 240_000))).toBe('4000;w=60, 240000;w=3600');
    expect(policiesOf(0, 240_000)).toEqual([{ limit: 240_000, seconds: 3600 }]);
    expect(policyHeader(policiesOf(10, 0))).toBe('10;w=60');
    expect(policiesOf(0, 0)).toEqual([]);
  });
});

describe('decide', () => {
  it('reports the window with the fewest requests left', () => {
    expect(
      decide([
        { policy: MINUTE, used: 0, resetSeconds: 30 },
        { policy: HOUR, used: 0, resetSeconds: 900 },
      ]),
    ).toEqual({ allowed: true, limit: 5, remaining: 4, resetSeconds: 30 });
    expect(
      decide([
        { policy: MINUTE, used: 1, resetSeconds: 30 },
        { policy: HOUR, used: 6, resetSeconds: 900 },
      ]),
    ).toEqual({ allowed: true, limit: 8, remaining: 1, resetSeconds: 900 });
  });

  it('on a tie reports the window that ends later', () => {
    expect(
      decide([
        { policy: MINUTE, used: 2, resetSeconds: 30 },
        { policy: HOUR, used: 5, resetSeconds: 900 },
      ]),
    ).toEqual({ allowed: true, limit: 8, remaining: 2, resetSeconds: 900 });
  });

  it('allows the last request of a window, refuses the next', () => {
    expect(decide([{ policy: MINUTE, used: 4, resetSeconds: 7 }])).toEqual({
      allowed: true,
      limit: 5,
      remaining: 0,
      resetSeconds: 7,
    });
    expect(decide([{ policy: MINUTE, used: 5, resetSeconds: 7 }])).toEqual({
      allowed: false,
      limit: 5,
      remaining: 0,
      resetSeconds: 7,
    });
  });

  it('refuses until the last exhausted window ends', () => {
    const minute = { policy: MINUTE, used: 5, resetSeconds: 20 };
    const hour = { policy: HOUR, used: 8, resetSeconds: 1200 };
    expect(decide([minute, hour])).toEqual({
      allowed: false,
      limit: 8,
      remaining: 0,
      resetSeconds: 1200,
    });
    expect(decide([minute, { ...hour, used: 3 }])).toEqual({
      allowed: false,
      limit: 5,
      remaining: 0,
      resetSeconds: 20,
    });
  });

  it('treats counts past the limit (overshoot between processes) as exhausted', () => {
    expect(decide([{ policy: MINUTE, used: 9, resetSeconds: 3 }]).allowed).toBe(false);
  });
});
