/**
 * SIGKILL durability (docs/RELIABILITY.md): the real server (`itinera serve`, a cluster
 * primary and two workers) on this run's dialect takes concurrent trip and booking POSTs; the
 * whole process group is killed with SIGKILL mid-load, several times, and restarted. Every
 * write it acknowledged (2xx) must then be readable, and SQLite's integrity check must pass.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { seedDatabase, validateSeedFile } from '../../src/modules/accounts/seed/seed.service.js';
import { bookingXml } from '../helpers/booking-requests.js';
import { exited } from '../helpers/processes.js';
import { REPO_ROOT } from '../helpers/reference-files.js';
import { TEST_PG_URL, testDialect } from '../helpers/test-app.js';
import { TRIP_NS } from '../helpers/trip-requests.js';
import { freePort, waitUntilUp } from '../helpers/wait-for.js';

const KILLS = 3;
const CLIENTS = 6;
const tag = randomUUID().slice(0, 8);
const schema = `k_${tag}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-sigkill-'));
const sqliteFile = path.join(dir, 'kill.db');
const databaseUrl =
  testDialect() === 'postgres'
    ? `${TEST_PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`
    : `sqlite:${sqliteFile}`;
const user = { loginId: `kill-${tag}@example.com`, password: `pw-kill-${tag}` };
const client = { clientId: `kill-${tag}`, clientSecret: `secret-kill-${tag}-0123456789` };
let server: ChildProcess | undefined;

/** Starts `itinera serve` (bin/itinera.js: dist/ when current) in its own process group. */
async function start(port: number): Promise<string> {
  server = spawn(process.execPath, ['bin/itinera.js', 'serve'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      WORKERS: '2',
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_MINUTE: '1000000',
      RATE_LIMIT_PER_HOUR: '1000000',
    },
    detached: true,
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilUp(url, server);
  return url;
}

/** SIGKILL to the primary and its workers at once. */
async function killGroup(): Promise<void> {
  if (!server?.pid) return;
  const gone = exited(server);
  process.kill(-server.pid, 'SIGKILL');
  await gone;
  // The workers die with the group; give the kernel a moment to release the port and locks.
  await new Promise((r) => setTimeout(r, 200));
}

beforeAll(async () => {
  if (testDialect() === 'postgres') {
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
  }
  const database = connectDatabase(
    testDialect() === 'postgres'
      ? { dialect: 'postgres', connectionString: TEST_PG_URL, schema }
      : { dialect: 'sqlite', filename: sqliteFile },
  );
  await migrateToLatest(database.db, database.dialect);
  await seedDatabase(
    database.db,
    validateSeedFile({
      companies: [{ name: `Kill ${tag}`, region: 'us' }],
      users: [{ ...user, company: `Kill ${tag}`, firstName: 'Pat', lastName: 'Passenger' }],
      apps: [
        {
          ...client,
          name: 'Kill TMC',
          kind: 'tmc',
          scopes: ['ITINER'],
          companies: [`Kill ${tag}`],
        },
      ],
    }),
  );
  await database.close();
}, 60_000);

afterAll(async () => {
  if (server?.pid && server.exitCode === null && server.signalCode === null) {
    process.kill(-server.pid, 'SIGKILL');
  }
  if (testDialect() === 'postgres') {
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

async function token(url: string): Promise<string> {
  const response = await fetch(`${url}/oauth2/v0/token`, {
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
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

interface Acknowledged {
  tripId: string;
  /** The trip's name (trip POST) or the booking's record locator (booking POST). */
  mark: string;
}

/** Clients posting trips and bookings until `stop`; every 2xx answer is recorded. */
async function load(url: string, bearer: string, stop: () => boolean, acked: Acknowledged[]) {
  let n = 0;
  const one = async (worker: number) => {
    while (!stop()) {
      const i = n++;
      const booking = i % 2 === 1;
      const mark = booking ? `K${tag.slice(0, 4)}${i}`.toUpperCase() : `kill ${tag} ${i}`;
      const body = booking
        ? bookingXml({ locator: mark, source: 'KILLGDS', from: 10 + (i % 200), to: 11 + (i % 200) })
        : `<Itinerary xmlns="${TRIP_NS}"><TripName>${mark}</TripName><StartDateLocal>2031-01-0${1 + (worker % 9)}T10:00:00</StartDateLocal><EndDateLocal>2031-01-1${worker % 9}T10:00:00</EndDateLocal></Itinerary>`;
      try {
        const response = await fetch(`${url}/api/travel/${booking ? 'booking' : 'trip'}/v1.1`, {
          method: 'POST',
          headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/xml' },
          body,
        });
        const text = await response.text();
        if (response.ok) acked.push({ tripId: /<TripId>([^<]+)</.exec(text)?.[1] ?? '', mark });
      } catch {
        // The server was killed under this request: not acknowledged, nothing to check.
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, w) => one(w)));
}

describe('SIGKILL under write load', () => {
  it(`loses no acknowledged write over ${KILLS} kills`, { timeout: 90_000 }, async () => {
    const acked: Acknowledged[] = [];
    const port = await freePort();
    let url = await start(port);
    const bearer = await token(url);
    for (let kill = 0; kill < KILLS; kill++) {
      let stopped = false;
      const running = load(url, bearer, () => stopped, acked);
      const before = acked.length;
      // Kill once the load is under way, at a varying point.
      while (acked.length < before + 20 + kill * 15) await new Promise((r) => setTimeout(r, 10));
      await killGroup();
      stopped = true;
      await running;
      url = await start(port);
    }
    expect(acked.length).toBeGreaterThan(KILLS * 20);
    for (const { tripId, mark } of acked) {
      const response = await fetch(`${url}/api/travel/trip/v1.1/${encodeURIComponent(tripId)}`, {
        headers: { authorization: `Bearer ${bearer}` },
      });
      const body = await response.text();
      expect(response.status, `${tripId} ${mark}`).toBe(200);
      expect(body).toContain(mark);
    }
    await killGroup();
    if (testDialect() === 'sqlite') {
      const db = new Database(sqliteFile);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    }
    console.log(`sigkill: ${KILLS} kills, ${acked.length} acknowledged writes, all present`);
  });
});
