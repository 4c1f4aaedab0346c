/**
 * Two real Itinera instances (`itinera serve`: one process, and a cluster of two workers) on one database, PostgreSQL or
 * SQLite, receive parallel booking posts for one traveller: the trips at the end are the ones a
 * serial run gives.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../../src/db/connect.js';
import { migrateToLatest } from '../../../src/db/migrate.js';
import { seedDatabase, validateSeedFile } from '../../../src/modules/accounts/seed/seed.service.js';
import { BOOKING_PATH, bookingXml } from '../../helpers/booking-requests.js';
import { REPO_ROOT } from '../../helpers/reference-files.js';
import { TEST_PG_URL, testDialect } from '../../helpers/test-app.js';
import { freePort, waitUntilUp } from '../../helpers/wait-for.js';

const root = REPO_ROOT;
const tag = randomUUID().slice(0, 8);
const schema = `p_${tag}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-processes-'));
const databaseUrl =
  testDialect() === 'postgres'
    ? `${TEST_PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`
    : `sqlite:${path.join(dir, 'shared.db')}`;
const user = { loginId: `proc-${tag}@example.com`, password: `pw-proc-${tag}` };
const client = { clientId: `proc-${tag}`, clientSecret: `secret-proc-${tag}-0123456789` };
const children: ChildProcess[] = [];
const urls: string[] = [];

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
      : { dialect: 'sqlite', filename: path.join(dir, 'shared.db') },
  );
  await migrateToLatest(database.db, database.dialect);
  await seedDatabase(
    database.db,
    validateSeedFile({
      companies: [{ name: `Processes ${tag}`, region: 'us' }],
      users: [{ ...user, company: `Processes ${tag}` }],
      apps: [
        {
          ...client,
          name: 'Processes TMC',
          kind: 'tmc',
          scopes: ['ITINER'],
          companies: [`Processes ${tag}`],
        },
      ],
    }),
  );
  await database.close();
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        // The second is a cluster of two workers (on SQLite, taking write turns).
        WORKERS: i === 0 ? '1' : '2',
        LOG_LEVEL: 'silent',
      },
      stdio: 'inherit',
    });
    children.push(child);
    urls.push(`http://127.0.0.1:${port}`);
  }
  await Promise.all(urls.map((url, i) => waitUntilUp(url, children[i] as ChildProcess)));
}, 120_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(
    children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)),
  );
  if (testDialect() === 'postgres') {
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('two Itinera processes on one database', () => {
  it('merge parallel bookings exactly as a serial run would', async () => {
    const tokenResponse = await fetch(`${urls[0]}/oauth2/v0/token`, {
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
    const token = ((await tokenResponse.json()) as { access_token: string }).access_token;
    // Two chains of overlapping bookings (one trip each) and three loners, each posted twice.
    const chain = (name: string, start: number) =>
      Array.from({ length: 6 }, (_, i) => ({
        locator: `${name}${i}`,
        from: start + 2 * i,
        to: start + 2 * i + 2,
      }));
    const loners = [300, 310, 320].map((day, i) => ({ locator: `L${i}`, from: day, to: day + 1 }));
    const specs = [...chain('A', 10), ...chain('B', 100), ...loners];
    const posts = [...specs, ...specs]
      .sort(() => Math.random() - 0.5)
      .map((spec, index) =>
        fetch(`${urls[index % 2]}${BOOKING_PATH}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
          body: bookingXml(spec),
        }),
      );
    for (const response of await Promise.all(posts)) {
      expect(response.status, await response.clone().text()).toBe(200);
    }
    const listed = await fetch(
      `${urls[1]}/api/travel/trip/v1.1?createdAfterDate=2000-01-01&includeCanceledTrips=true`,
      { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } },
    );
    const trips = (await listed.json()) as { TripId: string; RecordLocator?: string }[];
    const groups = trips.map((t) => (t.RecordLocator ?? '').split(', ').sort().join(',')).sort();
    const expected = [
      chain('A', 10).map((s) => s.locator),
      chain('B', 100).map((s) => s.locator),
      ...loners.map((l) => [l.locator]),
    ]
      .map((g) => g.sort().join(','))
      .sort();
    expect(groups).toEqual(expected);
  }, 60_000);
});
