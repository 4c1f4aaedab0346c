/**
 * `itinera serve` run for real. Started as a cluster, the primary logs `itinera started` once.
 * Unable to start, it prints one line naming the problem and what to change, no stack trace,
 * and exits 1: a port held by this test, a database file in a directory nobody may write to
 * (/sys), a PostgreSQL port nothing listens on.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WORKER_V8_FLAGS } from '../../src/start/worker-flags.js';
import { testDialect } from '../helpers/test-app.js';
import { freePort } from '../helpers/wait-for.js';

/** Resolves once `ready()` holds, polling; throws after `ms`. */
async function waitFor(ready: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Starting node with tsx takes seconds on a busy machine; a cluster more.
vi.setConfig({ testTimeout: 60_000 });

const root = path.resolve(import.meta.dirname, '../..');
let dir = '';

function spawnServe(env: Record<string, string>, stdout: 'ignore' | 'pipe') {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'silent', WORKERS: '1', ...env },
    stdio: ['ignore', stdout, 'pipe'],
  });
}

/** Runs `itinera serve` with `env` until it exits; its exit code and stderr. */
function serve(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawnServe(env, 'ignore');
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    }),
  );
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-startup-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

// The database is the test's own SQLite file (or none): one run is enough.
describe.skipIf(testDialect() === 'postgres')('itinera serve starting as a cluster', () => {
  it('logs itinera started once, from the primary, after its workers listen', async () => {
    const port = await freePort();
    const child = spawnServe(
      {
        PORT: String(port),
        DATABASE_URL: `sqlite:${path.join(dir, 'cluster.db')}`,
        WORKERS: '2',
        LOG_LEVEL: 'info',
      },
      'pipe',
    );
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const started = () =>
      stdout
        .split('\n')
        .filter((line) => line.includes('"itinera started"'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    try {
      await waitFor(() => started().length > 0, 45_000);
      // Both workers answer by then.
      for (let i = 0; i < 4; i++) {
        expect((await fetch(`http://127.0.0.1:${port}/oauth2/v0/jwks`)).status).toBe(200);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(started()).toHaveLength(1);
      expect(started()[0]).toMatchObject({
        pid: child.pid,
        workers: 2,
        listening: [`http://127.0.0.1:${port}`],
        database: { kind: 'sqlite', file: path.join(dir, 'cluster.db') },
      });
      // The workers run with the primary's node options and our V8 flags (worker-flags.ts).
      if (process.platform === 'linux') {
        const pid = child.pid as number;
        const workers = fs
          .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
          .trim()
          .split(/\s+/);
        expect(workers).toHaveLength(2);
        for (const worker of workers) {
          const args = fs.readFileSync(`/proc/${worker}/cmdline`, 'utf8').split('\0');
          expect(args).toEqual(expect.arrayContaining(['--import', 'tsx', ...WORKER_V8_FLAGS]));
        }
      }
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});

describe.skipIf(testDialect() === 'postgres')('itinera serve failing to start', () => {
  it('exits 1 with one line when the port is already in use', async () => {
    const port = await freePort();
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    try {
      const result = await serve({
        PORT: String(port),
        DATABASE_URL: `sqlite:${path.join(dir, 'port.db')}`,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `port ${port} is already in use on 127.0.0.1; stop the other process or set PORT\n`,
      );
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('exits 1 with one line naming a database file it cannot create, also as a cluster', async () => {
    const file = `/sys/itinera-startup-${process.pid}.db`;
    for (const workers of ['1', '2']) {
      const result = await serve({
        PORT: String(await freePort()),
        DATABASE_URL: `sqlite:${file}`,
        WORKERS: workers,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `cannot open the database file ${file}: the directory is read-only; set DATABASE_URL=sqlite:PATH to a writable place or fix the permissions\n`,
      );
    }
  });

  it('exits 1 naming the PostgreSQL server, without its password, when nothing listens', async () => {
    const port = await freePort();
    const result = await serve({
      PORT: String(await freePort()),
      DATABASE_URL: `postgres://itinera:s3cret-pw@127.0.0.1:${port}/itinera`,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `cannot reach PostgreSQL at 127.0.0.1:${port} (connection refused); check the host and port in DATABASE_URL and that the server is running\n`,
    );
  });
});
