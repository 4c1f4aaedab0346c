/**
 * A real `itinera serve` process is killed with SIGKILL while its deliveries are in flight
 * (the receiver holds them open), then started again: every notification is still delivered.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseConfig } from '../../src/config.js';
import { connectDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { seedDatabase, validateSeedFile } from '../../src/modules/accounts/seed/seed.service.js';
import { insertNotifications } from '../../src/modules/notifications/notification.repository.js';
import { outboxRow, Receiver, subscriberOf } from '../helpers/delivery-receiver.js';
import { REPO_ROOT } from '../helpers/reference-files.js';
import { TEST_PG_URL, testDialect } from '../helpers/test-app.js';
import { waitFor } from '../helpers/wait-for.js';

const root = REPO_ROOT;
const tag = randomUUID().slice(0, 8);
const schema = `n_${tag}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-notify-'));
const databaseUrl =
  testDialect() === 'postgres'
    ? `${TEST_PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`
    : `sqlite:${path.join(dir, 'shared.db')}`;
const databaseConfig: DatabaseConfig =
  testDialect() === 'postgres'
    ? { dialect: 'postgres', connectionString: TEST_PG_URL, schema }
    : { dialect: 'sqlite', filename: path.join(dir, 'shared.db') };
const COUNT = 40;
// Short enough for the test, long enough that the kill lands while attempts are in flight.
const TIMEOUT_MS = 3_000;
const children: ChildProcess[] = [];
let receiver: Receiver;
let database: DatabaseHandle;

function serve(workers = 1): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      WORKERS: String(workers),
      LOG_LEVEL: 'silent',
      NOTIFICATION_ALLOW_PRIVATE_TARGETS: 'true',
      NOTIFICATION_TIMEOUT_MS: String(TIMEOUT_MS),
    },
    stdio: 'inherit',
  });
  children.push(child);
  return child;
}

function exited(child: ChildProcess): Promise<unknown> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', resolve));
}

beforeAll(async () => {
  if (testDialect() === 'postgres') {
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
  }
  receiver = await new Receiver().start();
  database = connectDatabase(databaseConfig);
  await migrateToLatest(database.db, database.dialect);
  await seedDatabase(
    database.db,
    validateSeedFile({
      companies: [{ name: `Notify ${tag}`, region: 'us' }],
      users: [
        {
          loginId: `notify-${tag}@example.com`,
          password: `pw-notify-${tag}`,
          company: `Notify ${tag}`,
        },
      ],
      apps: [
        {
          clientId: `notify-${tag}`,
          clientSecret: `secret-notify-${tag}-0123456789`,
          name: 'Notify TMC',
          kind: 'tmc',
          scopes: ['ITINER'],
          companies: [`Notify ${tag}`],
          postbackUrl: receiver.url('/postback'),
        },
      ],
    }),
  );
}, 60_000);

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }
  await Promise.all(children.map(exited));
  await database?.close();
  await receiver?.stop();
  if (testDialect() === 'postgres') {
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Whether every outbox row is delivered. */
async function allDelivered(): Promise<boolean> {
  const left = await database.db
    .selectFrom('notifications')
    .select('id')
    .where('status', '!=', 'delivered')
    .execute();
  return left.length === 0;
}

describe('itinera serve killed during delivery', () => {
  it('delivers every pending notification after a restart', async () => {
    const to = await subscriberOf(
      database.db,
      `notify-${tag}`,
      `notify-${tag}@example.com`,
      receiver.url('/postback'),
    );
    const rows = Array.from({ length: COUNT }, () => outboxRow(to));
    await insertNotifications(database.db, rows);
    const held: (() => void)[] = [];
    receiver.handler = (_request, response) => {
      held.push(() => response.end('too late'));
    };

    const first = serve();
    // The worker sends 16 at once; all held open by the receiver.
    await waitFor(() => receiver.requests.length >= 16, 60_000, 'deliveries in flight');
    const inFlight = await database.db
      .selectFrom('notifications')
      .select('id')
      .where('claimed_by', 'is not', null)
      .execute();
    expect(inFlight.length).toBeGreaterThanOrEqual(16);
    first.kill('SIGKILL');
    await exited(first);
    const sentBeforeKill = new Set(
      receiver.requests.map((r) => String(r.headers['itinera-delivery-id'])),
    );
    for (const release of held) release();

    const answered = new Map<string, number>();
    receiver.handler = (request, response) => {
      const id = String(request.headers['itinera-delivery-id']);
      answered.set(id, (answered.get(id) ?? 0) + 1);
      response.end('ok');
    };
    serve();
    await waitFor(allDelivered, 45_000, 'every notification delivered after the restart');
    for (const row of rows) expect(answered.get(row.id), row.id).toBeGreaterThanOrEqual(1);
    // Those in flight at the kill were sent again: at least once, never lost.
    for (const id of sentBeforeKill) expect(answered.has(id)).toBe(true);
  }, 120_000);
});

describe('two itinera serve processes on one database', () => {
  it('never send one notification twice at once, and deliver every one', async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map(exited));
    const to = await subscriberOf(
      database.db,
      `notify-${tag}`,
      `notify-${tag}@example.com`,
      receiver.url('/two'),
    );
    const rows = Array.from({ length: 400 }, () => outboxRow(to));
    receiver.maxOpenPerId = 0;
    receiver.handler = (_request, response) => {
      setTimeout(() => response.end('ok'), Math.floor(Math.random() * 15));
    };
    serve();
    serve();
    await insertNotifications(database.db, rows);
    await waitFor(allDelivered, 60_000, 'every notification delivered by the two processes');
    expect(receiver.maxOpenPerId).toBe(1);
    const ids = receiver.requests
      .filter((r) => r.path === '/two')
      .map((r) => String(r.headers['itinera-delivery-id']));
    expect(new Set(ids).size).toBe(rows.length);
  }, 120_000);
});

describe('itinera serve as a cluster', () => {
  it('delivers with several workers and stops cleanly on SIGTERM', async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map(exited));
    const to = await subscriberOf(
      database.db,
      `notify-${tag}`,
      `notify-${tag}@example.com`,
      receiver.url('/cluster'),
    );
    receiver.handler = (_request, response) => response.end('ok');
    const primary = serve(2);
    const rows = Array.from({ length: 20 }, () => outboxRow(to));
    await insertNotifications(database.db, rows);
    await waitFor(
      () =>
        new Set(
          receiver.requests
            .filter((r) => r.path === '/cluster')
            .map((r) => r.headers['itinera-delivery-id']),
        ).size === rows.length,
      60_000,
      'deliveries from the cluster',
    );
    primary.kill('SIGTERM');
    await exited(primary);
    expect(primary.exitCode).toBe(0);
    const left = await database.db
      .selectFrom('notifications')
      .select('id')
      .where('status', '!=', 'delivered')
      .execute();
    expect(left).toHaveLength(0);
  }, 120_000);
});
