/**
 * Load for the scale benchmark: one scenario against one or more server instances at once
 * (PostgreSQL runs two Itinera instances; the connections are split across them and the
 * latencies merged), then the same against the bare servers.
 */
import { type LoadResult, percentile, runLoad } from '../load.js';

/** What a scenario must reach; every field given must hold. */
export interface ScaleTarget {
  minRps?: number;
  /** Minimum share of the bare server's req/s (0.25 = 25 %). */
  minShare?: number;
  maxP99?: number;
  /** Shown beside the target: the size the issue states it for. */
  note?: string;
}

export interface ScaleScenario {
  key: string;
  name: string;
  target: ScaleTarget;
  connections: number;
  method: 'GET' | 'POST';
  /** Headers for instance `i` (tokens are asked of each instance). */
  headers: (instance: number) => Record<string, string>;
  path: () => string;
  body?: () => string;
}

export interface Measured {
  itinera: LoadResult;
  bare: LoadResult;
  /** Free text shown under the table (e.g. how many bookings merged). */
  remark?: string;
  /** CPU time of all Itinera server processes per response during the measured run, ms. */
  cpuMsPerRequest?: number;
}

/** Runs the load on every URL at once, the connections split, and merges the results. */
export async function splitLoad(
  urls: readonly string[],
  scenario: ScaleScenario,
  duration: number,
  headersFor: (instance: number) => Record<string, string>,
): Promise<LoadResult> {
  const results = await Promise.all(
    urls.map((url, i) =>
      runLoad({
        url,
        method: scenario.method,
        headers: headersFor(i),
        connections: Math.max(
          1,
          Math.floor(scenario.connections / urls.length) +
            (i < scenario.connections % urls.length ? 1 : 0),
        ),
        duration,
        path: scenario.path,
        ...(scenario.body ? { body: scenario.body } : {}),
        keepLatencies: urls.length > 1,
      }),
    ),
  );
  if (results.length === 1) return results[0] as LoadResult;
  const latencies = results.flatMap((r) => r.latencies ?? []).sort((a, b) => a - b);
  const statusCounts: Record<string, number> = {};
  for (const r of results) {
    for (const [code, n] of Object.entries(r.statusCounts)) {
      statusCounts[code] = (statusCounts[code] ?? 0) + n;
    }
  }
  const seconds = Math.max(...results.map((r) => r.seconds));
  return {
    requests: latencies.length,
    rps: results.reduce((sum, r) => sum + r.rps, 0),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    statusCounts,
    seconds,
  };
}

/** Warm-up, then the measured run, on Itinera and then on the bare servers. */
export async function measureScenario(
  scenario: ScaleScenario,
  itineraUrls: readonly string[],
  bareUrls: readonly string[],
  settings: { warmup: number; duration: number },
  /** CPU ms used so far by the Itinera servers (see serve-process.ts treeCpuMs). */
  itineraCpuMs?: () => number,
): Promise<Measured> {
  let cpu = 0;
  const run = async (urls: readonly string[], bare: boolean) => {
    // The bare servers check nothing: the same (Itinera) headers serve.
    const headers = (i: number) => scenario.headers(bare ? 0 : i);
    await splitLoad(urls, scenario, settings.warmup, headers);
    const before = bare ? 0 : (itineraCpuMs?.() ?? 0);
    const result = await splitLoad(urls, scenario, settings.duration, headers);
    if (!bare) cpu = (itineraCpuMs?.() ?? 0) - before;
    return result;
  };
  const itinera = await run(itineraUrls, false);
  const bare = await run(bareUrls, true);
  return {
    itinera,
    bare,
    ...(itineraCpuMs && itinera.requests > 0 ? { cpuMsPerRequest: cpu / itinera.requests } : {}),
  };
}

/** PASS, NOT MET (with what was missed), or FAIL when a response was an error. */
export function verdictOf(target: ScaleTarget, measured: Measured): string {
  const { itinera, bare } = measured;
  if (itinera.non2xx > 0 || itinera.errors > 0) {
    const codes = Object.entries(itinera.statusCounts)
      .filter(([code]) => !code.startsWith('2'))
      .map(([code, n]) => `${n}x${code}`);
    return `FAIL (${[...codes, `${itinera.errors} errors`].join(', ')})`;
  }
  if (target.minRps === undefined && target.maxP99 === undefined && target.minShare === undefined)
    return '';
  const met =
    (target.minRps === undefined || itinera.rps >= target.minRps) &&
    (target.minShare === undefined || itinera.rps / bare.rps >= target.minShare) &&
    (target.maxP99 === undefined || itinera.p99 <= target.maxP99);
  return met ? 'PASS' : 'NOT MET';
}

/** The target in words, for the table. */
export function targetText(target: ScaleTarget): string {
  const parts: string[] = [];
  if (target.minRps !== undefined) parts.push(`>= ${target.minRps.toLocaleString('en-US')} req/s`);
  if (target.minShare !== undefined)
    parts.push(`>= ${Math.round(target.minShare * 100)} % of bare`);
  if (target.maxP99 !== undefined) parts.push(`p99 <= ${target.maxP99} ms`);
  if (parts.length === 0) return '(report)';
  return parts.join(', ') + (target.note ? ` (${target.note})` : '');
}
