/**
 * The arithmetic of fixed-window rate limits: which window an instant falls in, when it ends,
 * and what one request's headers say given how much of each window is used. Pure functions.
 */

/** One limit: at most `limit` requests per fixed window of `seconds`. */
export interface WindowPolicy {
  limit: number;
  seconds: number;
}

/** How much of one window is used before the request being decided. */
export interface WindowUsage {
  policy: WindowPolicy;
  used: number;
  /** Whole seconds until the window ends (at least 1). */
  resetSeconds: number;
}

/** The answer for one request, as the RateLimit-* headers report it. */
export interface RateDecision {
  allowed: boolean;
  /** The limit of the reported window (the tighter one). */
  limit: number;
  /** Requests left in that window after this one. */
  remaining: number;
  /** Seconds until that window ends; when refused, also the Retry-After. */
  resetSeconds: number;
}

/** The enabled policies: a limit of 0 switches its window off. */
export function policiesOf(perMinute: number, perHour: number): WindowPolicy[] {
  const policies: WindowPolicy[] = [];
  if (perMinute > 0) policies.push({ limit: perMinute, seconds: 60 });
  if (perHour > 0) policies.push({ limit: perHour, seconds: 3600 });
  return policies;
}

/**
 * Start (epoch ms) of the window of `seconds` that holds `now`. Windows are aligned to the
 * epoch, so every process on any host computes the same buckets from its own clock.
 */
export function windowStart(now: number, seconds: number): number {
  const size = seconds * 1000;
  return Math.floor(now / size) * size;
}

/** End (epoch ms, exclusive) of the window of `seconds` that holds `now`. */
export function windowEnd(now: number, seconds: number): number {
  return windowStart(now, seconds) + seconds * 1000;
}

/** Whole seconds from `now` until its window of `seconds` ends, rounded up: 1 … seconds. */
export function secondsUntilReset(now: number, seconds: number): number {
  return Math.max(1, Math.ceil((windowEnd(now, seconds) - now) / 1000));
}

/** The `RateLimit-Policy` header value, e.g. `4000;w=60, 240000;w=3600`. */
export function policyHeader(policies: readonly WindowPolicy[]): string {
  return policies.map((p) => `${p.limit};w=${p.seconds}`).join(', ');
}

/**
 * Decides one request. It is refused when any window is used up; the reported window is then
 * the exhausted one that ends last, since retrying earlier would be refused again. Otherwise the
 * reported window is the one with the fewest requests left (the later-ending one on a tie).
 */
export function decide(usages: readonly WindowUsage[]): RateDecision {
  let refused: WindowUsage | undefined;
  for (const usage of usages) {
    if (usage.used < usage.policy.limit) continue;
    if (!refused || usage.resetSeconds > refused.resetSeconds) refused = usage;
  }
  if (refused) {
    return {
      allowed: false,
      limit: refused.policy.limit,
      remaining: 0,
      resetSeconds: refused.resetSeconds,
    };
  }
  let tightest: { usage: WindowUsage; remaining: number } | undefined;
  for (const usage of usages) {
    const remaining = usage.policy.limit - usage.used - 1;
    if (
      !tightest ||
      remaining < tightest.remaining ||
      (remaining === tightest.remaining && usage.resetSeconds > tightest.usage.resetSeconds)
    ) {
      tightest = { usage, remaining };
    }
  }
  if (!tightest) throw new Error('decide() needs at least one window');
  return {
    allowed: true,
    limit: tightest.usage.policy.limit,
    remaining: tightest.remaining,
    resetSeconds: tightest.usage.resetSeconds,
  };
}
