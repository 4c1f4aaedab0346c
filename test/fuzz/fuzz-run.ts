/**
 * The fuzz run: for each case (its own random stream from the run's seed and its number), a
 * target's valid request, mutated, sent to the app; then the checks of fuzz-oracle.ts. First
 * every target's valid request is sent once unmutated, so a run whose requests never get past
 * authentication shows as such rather than as a clean run.
 */
import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { allowedMs, injectedHeaders, leaksOf, scryptCost, snapshot } from './fuzz-oracle.js';
import { type FuzzTarget, type FuzzWorld, TARGETS } from './fuzz-targets.js';
import { type FuzzRequest, mutate } from './mutations.js';
import { caseSeed, createRng } from './prng.js';

export interface FuzzOptions {
  seed: number;
  count: number;
  /** The slowest answer allowed (ms); default 2,000. */
  limitMs?: number;
  /** Only these targets (by name); default all. */
  targets?: readonly string[];
  /** Called after each case (progress). */
  onCase?(index: number): void;
}

export interface FuzzCase {
  index: number;
  target: string;
  mutations: string[];
  status: number;
  ms: number;
}

export interface FuzzFailure extends FuzzCase {
  problems: string[];
}

export interface FuzzReport {
  seed: number;
  count: number;
  /** Each target's valid request and its status (all below 400 in a meaningful run). */
  baseline: { target: string; status: number }[];
  byStatus: Record<string, number>;
  byMutation: Record<string, number>;
  slowest: FuzzCase[];
  failures: FuzzFailure[];
  /** Requests the HTTP client itself refused to send (e.g. a CRLF in a header value). */
  unsendable: number;
  /**
   * One scrypt computation on this machine (ms): at the start (for the report), and the
   * highest measured for a slow answer (its bound).
   */
  scryptMs: { start: number; highest: number };
  /** Refused requests after which the database was compared. */
  refusedChecked: number;
  elapsedMs: number;
}

/** The request as a string a leak may be an echo of. */
function requestText(request: FuzzRequest): string {
  const parts = [request.path, ...Object.values(request.query), ...Object.values(request.headers)];
  const body = request.body?.toString('utf8') ?? '';
  const plain = [...parts, body, safe(request.path)].join('\n');
  // An answer may echo a value JSON- or XML-escaped.
  const xml = plain.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  return [plain, JSON.stringify(plain), xml].join('\n');
}
const safe = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

async function send(app: FastifyInstance, request: FuzzRequest) {
  const search = new URLSearchParams(request.query).toString();
  return app.inject({
    method: request.method,
    url: `${request.path}${search ? `?${search}` : ''}`,
    headers: request.headers,
    ...(request.body ? { payload: request.body } : {}),
  });
}

/** Runs `count` fuzz cases against the app and its database. */
export async function runFuzz(
  app: FastifyInstance,
  database: DatabaseHandle,
  world: FuzzWorld,
  options: FuzzOptions,
): Promise<FuzzReport> {
  const started = performance.now();
  const limitMs = options.limitMs ?? 2000;
  const targets: readonly FuzzTarget[] = options.targets
    ? TARGETS.filter((t) => options.targets?.includes(t.name))
    : TARGETS;
  const report: FuzzReport = {
    seed: options.seed,
    count: options.count,
    baseline: [],
    byStatus: {},
    byMutation: {},
    slowest: [],
    failures: [],
    unsendable: 0,
    scryptMs: { start: 0, highest: 0 },
    refusedChecked: 0,
    elapsedMs: 0,
  };
  for (const target of targets) {
    const response = await send(app, target.build(createRng(options.seed), world, false));
    report.baseline.push({ target: target.name, status: response.statusCode });
  }
  const start = await scryptCost();
  report.scryptMs = { start, highest: 0 };
  let before = await snapshot(database);
  for (let index = 0; index < options.count; index++) {
    const rng = createRng(caseSeed(options.seed, index));
    const target = rng.pick(targets);
    const { request, applied } = mutate(rng, target.build(rng, world, true));
    const t0 = performance.now();
    let response: Awaited<ReturnType<typeof send>>;
    try {
      response = await send(app, request);
    } catch {
      report.unsendable++;
      continue;
    }
    const ms = Math.round(performance.now() - t0);
    const entry: FuzzCase = {
      index,
      target: target.name,
      mutations: applied,
      status: response.statusCode,
      ms,
    };
    const problems: string[] = [];
    if (response.statusCode >= 500) problems.push(`status ${response.statusCode}`);
    const hashes = target.hashes ?? 0;
    if (ms > limitMs) {
      // Timed once more, against scrypt's cost measured now (not at the start, which a passing
      // spike may have inflated): on a loaded machine one answer may wait for the CPU. Slow
      // twice, beyond the bound for the load measured now, is a failure.
      const scryptNow = hashes ? await scryptCost() : 0;
      report.scryptMs.highest = Math.max(report.scryptMs.highest, scryptNow);
      const bound = allowedMs(limitMs, hashes, scryptNow);
      const t1 = performance.now();
      await send(app, request).catch(() => undefined);
      const again = Math.round(performance.now() - t1);
      if (ms > bound && again > bound)
        problems.push(`answered in ${ms} ms, then in ${again} ms (allowed ${bound} ms)`);
    }
    problems.push(...leaksOf(response.body, requestText(request)));
    problems.push(...injectedHeaders(response.headers).map((h) => `injected header ${h}`));
    const after = await snapshot(database);
    if (response.statusCode >= 400) {
      report.refusedChecked++;
      if (after !== before)
        problems.push(
          `refused (${response.statusCode}) but the database changed: ${before} → ${after}`,
        );
    }
    before = after;
    if (problems.length)
      report.failures.push({
        ...entry,
        problems: [...problems, `answer: ${response.body.slice(0, 300)}`],
      });
    report.byStatus[response.statusCode] = (report.byStatus[response.statusCode] ?? 0) + 1;
    for (const name of applied) report.byMutation[name] = (report.byMutation[name] ?? 0) + 1;
    report.slowest = [...report.slowest, entry].sort((a, b) => b.ms - a.ms).slice(0, 5);
    options.onCase?.(index);
  }
  report.elapsedMs = Math.round(performance.now() - started);
  return report;
}
