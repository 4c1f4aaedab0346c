/**
 * `BENCH_SCALE=10000,100000,1000000 npm run bench` (`BENCH_SCALE=1`: those three sizes): how cost
 * grows with data (issue 15 item 2). For each size: generate seeded data (cached, see
 * scale-data.ts), import it with `itinera import` into a fresh database, start the compiled
 * server (`node dist/cli.js serve`, default cluster, rate limits out of reach), measure every
 * scenario beside a bare server answering the same bytes, sample the RSS of all server processes,
 * time cold starts on the now large database; then print one table, a column per size.
 *
 * BENCH_DIALECT=postgres: the same on PostgreSQL, a dedicated database per size (created on the
 * server of BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres, and dropped after),
 * with two Itinera instances and the load split across both.
 * Also: BENCH_SEED (default 15), BENCH_DATA_DIR, BENCH_DURATION, BENCH_WARMUP, BENCH_CONNECTIONS,
 * BENCH_WORKERS, BENCH_STARTS (cold starts per size, default 3), BENCH_KEEP=1, BENCH_SCENARIOS
 * (a comma list of scenario keys to run, e.g. post,post-many).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../child.js';
import { anchorDay, ensureScaleData, travellerCount } from './scale-data.js';
import {
  countStoredTrips,
  createPostgresDatabase,
  prepareScaleDatabase,
  runImport,
  sampleTrips,
} from './scale-db.js';
import { measureScenario } from './scale-load.js';
import { listPlans } from './scale-plans.js';
import { PAGE_SIZE, prepareScenarios } from './scale-scenarios.js';
import { printScaleTable, type SizeResult, sizeLabel } from './scale-table.js';
import { type ServeProcess, startServe, treeCpuMs, treeRss } from './serve-process.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const DEFAULT_SIZES = [10_000, 100_000, 1_000_000];

interface ScaleSettings {
  dialect: 'sqlite' | 'postgres';
  seed: number;
  duration: number;
  warmup: number;
  connections: number;
  workers: number | undefined;
  starts: number;
  keep: boolean;
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

/** `1` → the three default sizes; otherwise a comma list, `k`/`M` suffixes allowed. */
export function parseSizes(raw: string): number[] {
  if (raw.trim() === '1') return DEFAULT_SIZES;
  return raw.split(',').map((part) => {
    const match = /^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*$/.exec(part);
    const unit = match?.[2]?.toLowerCase();
    const size = match ? Number(match[1]) * (unit === 'k' ? 1e3 : unit === 'm' ? 1e6 : 1) : NaN;
    if (!Number.isInteger(size) || size < 1000) {
      throw new Error(`BENCH_SCALE: '${part}' is not a size of at least 1000 trips`);
    }
    return size;
  });
}

const loadAverage = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

/** A fresh database for one size, and how to get rid of it. */
async function freshDatabase(
  settings: ScaleSettings,
  size: number,
): Promise<{ url: string; cleanup: () => Promise<void> }> {
  if (settings.dialect === 'postgres') {
    const admin = process.env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
    const name = `itinera_bench_${size}_${process.pid}`;
    const created = await createPostgresDatabase(admin, name);
    const kept = async () => console.log(`  kept database ${name}`);
    return { url: created.url, cleanup: settings.keep ? kept : created.drop };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-scale-'));
  const file = path.join(dir, 'scale.db');
  return {
    url: `sqlite:${file}`,
    cleanup: async () => {
      if (settings.keep) console.log(`  kept ${file}`);
      else fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function runSize(size: number, settings: ScaleSettings): Promise<SizeResult> {
  console.log(`\n== ${sizeLabel(size)} trips (${settings.dialect}); load average ${loadAverage()}`);
  const data = ensureScaleData(size, settings.seed, anchorDay());
  console.log(
    `  data: ${data.file} (${(data.bytes / 1e6).toFixed(0)} MB), ` +
      (data.generatedSeconds === null
        ? 'cached'
        : `generated in ${data.generatedSeconds.toFixed(1)} s`),
  );
  const database = await freshDatabase(settings, size);
  const servers: { stop(): Promise<void> }[] = [];
  const responsesFile = path.join(os.tmpdir(), `itinera-scale-responses-${process.pid}.json`);
  try {
    await prepareScaleDatabase(database.url, size);
    const imported = await runImport(database.url, data.file);
    console.log(
      `  imported ${imported.imported} documents in ${imported.seconds.toFixed(1)} s ` +
        `(${(imported.imported / imported.seconds).toFixed(0)} docs/s, wall time of the CLI), ` +
        `${imported.merged} bookings merged, ${imported.rejected} rejected`,
    );
    const instances = settings.dialect === 'postgres' ? 2 : 1;
    const itinera: ServeProcess[] = [];
    for (let i = 0; i < instances; i++) {
      const server = await startServe({ databaseUrl: database.url, workers: settings.workers });
      servers.push(server);
      itinera.push(server);
    }
    const clusterStartMs = itinera[0]!.readyMs;
    const samples = await sampleTrips(database.url);
    const prepared = await prepareScenarios(
      itinera.map((s) => s.url),
      samples,
      settings.dialect,
      settings.connections,
      travellerCount(size),
    );
    console.log(`  ${samples.trips} trips stored; ${prepared.listInfo}`);
    for (const line of await listPlans(database.url, prepared.listWindowDays, PAGE_SIZE)) {
      console.log(line);
    }
    fs.writeFileSync(responsesFile, JSON.stringify(prepared.responses));
    const bare = [];
    for (let i = 0; i < instances; i++) {
      const server = await startServer('bare', 'bare-server.ts', [responsesFile]);
      servers.push(server);
      bare.push(server);
    }
    // The anonymous part and the PSS are those of the sample with the highest RSS.
    const rss = { peak: 0, anon: 0, pss: 0, processes: 0 };
    const sampleRss = () => {
      const trees = itinera.map((s) => treeRss(s.pid));
      const total = trees.reduce((sum, t) => sum + t.rss, 0);
      if (total > rss.peak) {
        rss.peak = total;
        rss.anon = trees.reduce((sum, t) => sum + t.anon, 0);
        rss.pss = trees.reduce((sum, t) => sum + t.pss, 0);
        rss.processes = trees.reduce((sum, t) => sum + t.processes, 0);
      }
    };
    sampleRss();
    const loadBefore = os.loadavg()[0] as number;
    const rows: SizeResult['rows'] = new Map();
    for (const scenario of prepared.scenarios) {
      const before = scenario.key === 'booking' ? await countStoredTrips(database.url) : 0;
      const sampler = setInterval(sampleRss, 1000);
      const measured = await measureScenario(
        scenario,
        itinera.map((s) => s.url),
        bare.map((s) => s.url),
        settings,
        () => itinera.reduce((sum, s) => sum + treeCpuMs(s.pid), 0),
      ).finally(() => clearInterval(sampler));
      sampleRss();
      if (scenario.key === 'booking') {
        const started = (await countStoredTrips(database.url)) - before;
        measured.remark =
          `${started} of the bookings (warm-up and run) started a trip, the rest merged into ` +
          'a stored one';
      }
      rows.set(scenario.key, { name: scenario.name, target: scenario.target, measured });
      console.log(
        `  ${scenario.name}: ${measured.itinera.rps.toFixed(0)} req/s, p99 ` +
          `${measured.itinera.p99.toFixed(2)} ms; bare ${measured.bare.rps.toFixed(0)} req/s`,
      );
    }
    const loadAfter = os.loadavg()[0] as number;
    for (const server of itinera) await server.stop();
    // A restart on the database as it now is: one worker, spawn to the first 200 from /readyz.
    const coldStartMs: number[] = [];
    for (let run = 0; run < settings.starts; run++) {
      const server = await startServe({ databaseUrl: database.url, workers: 1 });
      coldStartMs.push(server.readyMs);
      await server.stop();
    }
    return {
      size,
      trips: samples.trips,
      import: imported,
      rows,
      rssPeak: rss.peak,
      rssAnonPeak: rss.anon,
      pssAtPeak: rss.pss,
      processes: rss.processes,
      clusterStartMs,
      coldStartMs,
      load: [loadBefore, loadAfter],
    };
  } finally {
    for (const server of servers) await server.stop();
    fs.rmSync(responsesFile, { force: true });
    await database.cleanup();
  }
}

/** Runs the scale benchmark for the sizes of BENCH_SCALE and prints its table. */
export async function runScaleBench(raw: string): Promise<void> {
  const settings: ScaleSettings = {
    dialect: process.env.BENCH_DIALECT === 'postgres' ? 'postgres' : 'sqlite',
    seed: Math.round(positive('BENCH_SEED', 15)),
    duration: positive('BENCH_DURATION', 10),
    warmup: positive('BENCH_WARMUP', 2),
    connections: Math.round(positive('BENCH_CONNECTIONS', 16)),
    workers: process.env.BENCH_WORKERS ? Math.round(positive('BENCH_WORKERS', 1)) : undefined,
    starts: Math.round(positive('BENCH_STARTS', 3)),
    keep: process.env.BENCH_KEEP === '1',
  };
  const sizes = parseSizes(raw);
  // The server and the import run from dist/, as an operator runs them: bring it up to date.
  execFileSync(process.execPath, ['scripts/ensure-build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  console.log(
    `Itinera scale benchmark (${settings.dialect}${settings.dialect === 'postgres' ? ', two instances' : ''}): ` +
      `node ${process.version}, ${os.cpus().length} CPUs, sizes ${sizes.map(sizeLabel).join(', ')}, ` +
      `${settings.connections} connections (lists 10), ${settings.warmup} s warm-up + ` +
      `${settings.duration} s per run, workers ${settings.workers ?? 'default (one per CPU)'}; ` +
      `load average ${loadAverage()}`,
  );
  const results: SizeResult[] = [];
  try {
    for (const size of sizes) results.push(await runSize(size, settings));
  } finally {
    const missed = printScaleTable(
      results,
      `Scale benchmark, ${settings.dialect}${settings.dialect === 'postgres' ? ' (two instances, load split)' : ' (embedded default)'}:`,
      settings.dialect === 'sqlite',
    );
    console.log(`Load average at the end: ${loadAverage()}.`);
    if (results.length > 0) {
      console.log(missed.length === 0 ? 'All targets met.' : `NOT MET: ${missed.join(', ')}.`);
    }
  }
}
