/**
 * The shared start-up (src/server.ts, src/start/) as `itinera serve` runs it: a real cluster of
 * two workers on a temporary SQLite file serves tokens and trip writes (taking write turns),
 * stops on SIGTERM with code 0 leaving no process behind, and gives up with code 1 when its
 * workers keep failing to start.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedDatabase, validateSeedFile } from '../src/modules/accounts/seed/seed.service.js';
import { exited, isRunning } from './helpers/processes.js';
import { testDialect } from './helpers/test-app.js';
import { freePort, waitUntilUp } from './helpers/wait-for.js';

const root = path.resolve(import.meta.dirname, '..');
// Made in beforeAll, so that a skipped run (PostgreSQL) leaves nothing behind.
let dir = '';
let file = '';
const user = { loginId: 'start@example.com', password: 'pw-start-0123' };
const client = { clientId: 'start-tmc', clientSecret: 'secret-start-0123456789' };
const TRIP_PATH = '/api/travel/trip/v1.1';
const TRIP_NS = 'http://www.concursolutions.com/api/travel/trip/2010/06';
const children: ChildProcess[] = [];

/** `itinera serve` with `workers` workers on the test database; stderr is collected. */
function serve(port: number, workers: number): { child: ChildProcess; stderr: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: `sqlite:${file}`,
      PORT: String(port),
      HOST: '127.0.0.1',
      WORKERS: String(workers),
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return { child, stderr: () => stderr };
}

/** The process ids of the cluster's workers: `pid`'s children running the CLI (not tsx's esbuild). */
function workerPids(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid), '-f', 'src/cli.ts'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when there is none
  }
}

function tripXml(index: number): string {
  const day = String(index + 1).padStart(2, '0');
  return (
    `<?xml version="1.0" encoding="utf-8"?><Itinerary xmlns="${TRIP_NS}">` +
    `<TripName>Start-up ${index}</TripName><Bookings><Booking>` +
    `<RecordLocator>START${index}</RecordLocator><BookingSource>TestTMC</BookingSource>` +
    `<Segments><Car><StartDateLocal>2030-05-${day}T09:00:00</StartDateLocal>` +
    `<EndDateLocal>2030-05-${day}T18:00:00</EndDateLocal></Car></Segments>` +
    `</Booking></Bookings></Itinerary>`
  );
}

// SQLite only, where the primary also arbitrates write turns; booking-processes.test.ts covers a
// PostgreSQL cluster.
describe.skipIf(testDialect() !== 'sqlite')('itinera serve as a cluster', () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-start-'));
    file = path.join(dir, 'start.db');
    const database = connectDatabase({ dialect: 'sqlite', filename: file });
    await migrateToLatest(database.db, database.dialect);
    await seedDatabase(
      database.db,
      validateSeedFile({
        companies: [{ name: 'Start-up', region: 'us' }],
        users: [{ ...user, company: 'Start-up' }],
        apps: [
          {
            ...client,
            name: 'Start-up TMC',
            kind: 'tmc',
            scopes: ['ITINER'],
            companies: ['Start-up'],
          },
        ],
      }),
    );
    await database.close();
  });

  afterAll(async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    await Promise.all(children.map(exited));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves writes, then stops on SIGTERM with code 0 and no process left', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const { child, stderr } = serve(port, 2);
    await waitUntilUp(url, child);
    const workers = workerPids(child.pid ?? 0);
    expect(workers).toHaveLength(2);

    const tokenResponse = await fetch(`${url}/oauth2/v0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: client.clientId,
        client_secret: client.clientSecret,
        username: user.loginId,
        password: user.password,
      }).toString(),
    });
    expect(tokenResponse.status).toBe(200);
    const token = ((await tokenResponse.json()) as { access_token: string }).access_token;
    const headers = { authorization: `Bearer ${token}` };
    // Parallel writes, spread over both workers and their write turns.
    const posts = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        fetch(`${url}${TRIP_PATH}`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/xml' },
          body: tripXml(i),
        }),
      ),
    );
    for (const response of posts) expect(response.status, await response.text()).toBe(200);
    const listed = await fetch(`${url}${TRIP_PATH}?createdAfterDate=2000-01-01`, {
      headers: { ...headers, accept: 'application/json' },
    });
    expect(((await listed.json()) as unknown[]).length).toBe(6);

    child.kill('SIGTERM');
    expect(await exited(child), stderr()).toBe(0);
    expect(workers.filter(isRunning)).toEqual([]);
  }, 60_000);

  it('gives up with code 1 when its workers keep failing to start', async () => {
    // The port is taken, so every worker fails to listen; three at once reach the limit of
    // three failed starts in one round.
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const { child, stderr } = serve(port, 3);
      const workers = new Set<number>();
      const watch = setInterval(() => {
        for (const pid of workerPids(child.pid ?? 0)) workers.add(pid);
      }, 100);
      const code = await exited(child);
      clearInterval(watch);
      expect(code, stderr()).toBe(1);
      expect(stderr()).toContain('workers keep failing to start; stopping');
      expect([...workers].filter(isRunning)).toEqual([]);
    } finally {
      blocker.close();
    }
  }, 60_000);
});
