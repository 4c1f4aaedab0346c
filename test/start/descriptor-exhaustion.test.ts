/**
 * Descriptor exhaustion (issue 16): a cluster of two workers under `ulimit -n 256` is flooded
 * with uploads whose body never arrives, far more than its descriptors. While the flood lasts the
 * service may refuse connections; once the attacker leaves, it must answer again by itself within
 * seconds, and the primary must not be holding connection descriptors (it does no serving: the
 * workers accept their connections themselves, `cluster.SCHED_NONE`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialect } from '../helpers/test-app.js';
import { freePort, waitFor, waitUntilUp } from '../helpers/wait-for.js';

const root = path.resolve(import.meta.dirname, '../..');
const DESCRIPTOR_LIMIT = 256;
const ATTACK_SOCKETS = 700;
const ATTACK_MS = 6_000;

let dir = '';
let child: ChildProcess | undefined;

/** How many descriptors process `pid` holds open now. */
function openDescriptors(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

/** The pids of the processes `pid` forked (its cluster workers). */
function workersOf(pid: number): number[] {
  const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return children ? children.split(/\s+/).map(Number) : [];
}

/** A GET /healthz on a connection of its own: the status, or 0 when it fails or takes > 2 s. */
function probe(url: string): Promise<number> {
  return new Promise((resolve) => {
    const request = http.get(`${url}/healthz`, { agent: false, timeout: 2_000 }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(0));
  });
}

/**
 * Keeps up to `count` stalled uploads open against `port` until `ms` has passed, opening a new
 * one whenever one is closed, then destroys them all. Resolves with how many were opened.
 */
async function flood(port: number, count: number, ms: number): Promise<number> {
  const sockets = new Set<net.Socket>();
  let opened = 0;
  const deadline = Date.now() + ms;
  const open = () => {
    if (Date.now() >= deadline) return;
    const socket = net.connect(port, '127.0.0.1');
    opened++;
    sockets.add(socket);
    socket.on('connect', () => {
      socket.write(
        'POST /api/travel/trip/v1.1 HTTP/1.1\r\nHost: localhost\r\n' +
          'Content-Type: application/xml\r\nContent-Length: 100000\r\n\r\n<Itinerary',
      );
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      sockets.delete(socket);
      // Reopen at a bounded pace, as an attacker that keeps coming back would.
      setTimeout(open, 50);
    });
  };
  for (let i = 0; i < count; i++) open();
  await new Promise((resolve) => setTimeout(resolve, ms));
  for (const socket of sockets) socket.destroy();
  return opened;
}

// The cluster runs on a temporary SQLite file: descriptors are the process's, whatever the dialect.
describe.skipIf(testDialect() !== 'sqlite')('a cluster out of descriptors', () => {
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-exhaustion-'));
  });

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers again by itself once the attacker leaves, and the primary holds no connections', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // `exec` keeps the pid: child.pid is the primary's.
    child = spawn(
      'bash',
      [
        '-c',
        `ulimit -n ${DESCRIPTOR_LIMIT} && exec "$0" "$@"`,
        process.execPath,
        '--import',
        'tsx',
        'src/cli.ts',
        'serve',
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          DATABASE_URL: `sqlite:${path.join(dir, 'exhaustion.db')}`,
          PORT: String(port),
          HOST: '127.0.0.1',
          WORKERS: '2',
          LOG_LEVEL: 'error',
          HEADERS_TIMEOUT_MS: '3000',
          REQUEST_TIMEOUT_MS: '3000',
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    const primary = child.pid ?? 0;
    await waitUntilUp(url, child);
    expect(await probe(url)).toBe(200);
    const before = openDescriptors(primary);

    let peak = before;
    let workerPeak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, openDescriptors(primary));
      for (const worker of workersOf(primary)) {
        workerPeak = Math.max(workerPeak, openDescriptors(worker));
      }
    }, 100);
    const opened = await flood(port, ATTACK_SOCKETS, ATTACK_MS);
    clearInterval(sampler);
    // The flood did exhaust the workers' descriptors.
    expect(workerPeak).toBeGreaterThanOrEqual(DESCRIPTOR_LIMIT - 5);
    expect(opened).toBeGreaterThanOrEqual(ATTACK_SOCKETS);

    // Recovery: the service answers again by itself.
    await waitFor(async () => (await probe(url)) === 200, 15_000);
    // …and keeps answering.
    const later: number[] = [];
    for (let i = 0; i < 5; i++) later.push(await probe(url));
    expect(later).toEqual([200, 200, 200, 200, 200]);
    // The primary accepted no connection: its descriptors did not follow the flood.
    expect(peak - before).toBeLessThan(20);
    expect(openDescriptors(primary) - before).toBeLessThan(10);
  }, 60_000);
});
