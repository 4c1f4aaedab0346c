/**
 * One load run with autocannon, reduced to what the report needs. Latencies are collected
 * from autocannon's per-response event rather than its histogram, which records whole
 * milliseconds: sub-millisecond p50s would otherwise all read "1".
 */
import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  connections: number;
  /** Seconds to run; ignored when `amount` is given. */
  duration?: number;
  /** Exact number of requests to send instead of a duration. */
  amount?: number;
  /** Builds each request's path, or body for POST (called once per request sent). */
  path?: () => string;
  body?: () => string;
  /** Receives each response body (slower: autocannon then keeps the bodies). */
  onBody?: (status: number, body: string) => void;
  /** Returns the sorted latencies too (to merge runs against several servers). */
  keepLatencies?: boolean;
}

export interface LoadResult {
  requests: number;
  /** Completed responses per second over the run. */
  rps: number;
  p50: number;
  p99: number;
  /** Responses whose status was not 2xx. */
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  statusCounts: Record<string, number>;
  seconds: number;
  /** Every response's latency in ms, sorted (only with `keepLatencies`). */
  latencies?: number[];
}

/** Runs autocannon once (pipelining 1) and summarises every response it saw. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  const { path: pathOf, body: bodyOf, onBody } = options;
  const request: autocannon.Request = {
    method: options.method,
    ...(pathOf || bodyOf
      ? {
          setupRequest: (req: autocannon.Request) => ({
            ...req,
            ...(pathOf ? { path: pathOf() } : {}),
            ...(bodyOf ? { body: bodyOf() } : {}),
          }),
        }
      : {}),
    ...(onBody ? { onResponse: (status: number, body: string) => onBody(status, body) } : {}),
  };

  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        method: options.method,
        headers: options.headers,
        connections: options.connections,
        pipelining: 1,
        timeout: 30,
        ...(options.amount !== undefined
          ? { amount: options.amount }
          : { duration: options.duration ?? 10 }),
        requests: [request],
      },
      (error: unknown, result: autocannon.Result) => {
        if (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        latencies.sort((a, b) => a - b);
        const seconds = result.duration;
        resolve({
          requests: latencies.length,
          rps: latencies.length / seconds,
          p50: percentile(latencies, 0.5),
          p99: percentile(latencies, 0.99),
          non2xx: result.non2xx,
          errors: result.errors,
          statusCounts,
          seconds,
          ...(options.keepLatencies ? { latencies } : {}),
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
    });
  });
}

/** Nearest-rank percentile of sorted values (NaN when there are none). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}
