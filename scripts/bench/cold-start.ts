/**
 * Cold start as an operator meets it: `node dist/cli.js serve` with one worker on the embedded
 * default, from the spawn to the first 200 from `/readyz` (database open, migrations current).
 * Twice over: on a new database file (the migrations run during start-up) and on an existing
 * one (a restart). The build is brought up to date first (scripts/ensure-build.mjs), as
 * `npm start` does, and not counted: a restart does not rebuild.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from './free-port.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const READY_PATH = '/readyz';
const GIVE_UP_MS = 30_000;

/** Milliseconds from spawn to ready, per run, for each kind of database. */
export interface ColdStartResult {
  freshDatabaseMs: number[];
  existingDatabaseMs: number[];
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts the compiled server on `file` and returns the ms until `/readyz` answers 200. */
async function timeOneStart(file: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['dist/cli.js', 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: `sqlite:${file}`,
      PORT: String(port),
      HOST: '127.0.0.1',
      WORKERS: '1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
      if (performance.now() - started > GIVE_UP_MS) throw new Error('not ready within 30 s');
      try {
        const response = await fetch(`http://127.0.0.1:${port}${READY_PATH}`);
        if (response.status === 200) return performance.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    child.kill('SIGTERM');
    await exited(child);
  }
}

/** Measures `runs` cold starts on new database files and `runs` on one existing file. */
export async function measureColdStart(dir: string, runs: number): Promise<ColdStartResult> {
  execFileSync(process.execPath, ['scripts/ensure-build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const freshDatabaseMs: number[] = [];
  for (let run = 0; run < runs; run++) {
    freshDatabaseMs.push(await timeOneStart(path.join(dir, `cold-${run}.db`)));
  }
  const existing = path.join(dir, 'cold-0.db');
  const existingDatabaseMs: number[] = [];
  for (let run = 0; run < runs; run++) existingDatabaseMs.push(await timeOneStart(existing));
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith('cold-')) fs.rmSync(path.join(dir, name), { force: true });
  }
  return { freshDatabaseMs, existingDatabaseMs };
}
