/**
 * `itinera import`, spawned: killed (SIGKILL) in the middle of an import, then run again, it
 * ends with exactly what a clean import makes (no document twice, none half-written), and says
 * it resumed. SQLite, the embedded default (the service's resume runs on both dialects in
 * import.test.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { connectDatabase } from '../../src/db/connect.js';
import { exited } from '../helpers/processes.js';
import { REPO_ROOT } from '../helpers/reference-files.js';
import { seedTenant, type Tenant, type TestContext, testDialect } from '../helpers/test-app.js';
import { dayAt, simpleTrip, TRIP_NS } from '../helpers/trip-requests.js';
import { waitFor } from '../helpers/wait-for.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-import-cli-'));
const filename = path.join(dir, 'cli.db');
const input = path.join(dir, 'trips.ndjson');
const TRIPS = 1500;
const BOOKINGS = 300;
let context: TestContext;
let tenant: Tenant;

function itinera(...args: string[]): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: `sqlite:${filename}`, LOG_LEVEL: 'silent' },
  });
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  return { child, output: () => output };
}

async function count(table: 'trips' | 'bookings'): Promise<number> {
  const row = await context.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function committedPosition(): Promise<number> {
  const row = await context.database.db.selectFrom('imports').select('position').executeTakeFirst();
  return Number(row?.position ?? 0);
}

describe.skipIf(testDialect() !== 'sqlite')('itinera import, killed and resumed', () => {
  beforeAll(async () => {
    const database = connectDatabase({ dialect: 'sqlite', filename });
    const config = Object.freeze({
      ...loadConfig({ LOG_LEVEL: 'silent' }),
      notificationDelivery: false,
    });
    const app = await buildApp(config, { database });
    context = {
      app,
      database,
      config,
      connectAgain: () => connectDatabase({ dialect: 'sqlite', filename }),
      close: async () => {
        await app.close();
        await database.close();
      },
    };
    tenant = await seedTenant(context);
    const lines: string[] = [];
    for (let i = 0; i < TRIPS; i++) {
      const xml = simpleTrip(`Trip ${i}`, 10 + i * 3, 11 + i * 3, 'Air', `KILL${i}`);
      lines.push(JSON.stringify({ user: tenant.traveller.loginId, xml }));
      // Every fifth trip gets a car booking on its days: the merge puts it into that trip.
      if (i % 5 === 0) {
        const booking =
          `<Booking xmlns="${TRIP_NS}"><RecordLocator>CAR${i}</RecordLocator>` +
          '<BookingSource>TestTMC</BookingSource><Segments><Car>' +
          `<StartDateLocal>${dayAt(10 + i * 3, 14)}</StartDateLocal>` +
          `<EndDateLocal>${dayAt(11 + i * 3, 9)}</EndDateLocal></Car></Segments></Booking>`;
        lines.push(JSON.stringify({ user: tenant.traveller.loginId, xml: booking }));
      }
    }
    fs.writeFileSync(input, `${lines.join('\n')}\n`);
  });
  afterAll(async () => {
    await context.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('leaves whole batches only when killed, and a rerun ends as a clean import would', async () => {
    const args = ['import', input, '--company', tenant.company, '--client', tenant.app.clientId];
    const first = itinera(...args, '--batch', '50');
    await waitFor(async () => (await committedPosition()) >= 200, 60_000, 'the first batches');
    first.child.kill('SIGKILL');
    await exited(first.child);
    // What is there is exactly the committed batches: trips and bookings of whole documents.
    const position = await committedPosition();
    expect(position).toBeLessThan(TRIPS + BOOKINGS);
    // Each document made one booking (a trip's, or a car merged into its trip).
    expect(await count('bookings')).toBe(position);
    expect(await count('trips')).toBeLessThanOrEqual(position);

    const second = itinera(...args, '--batch', '50', '--report', path.join(dir, 'report.csv'));
    expect(await exited(second.child)).toBe(0);
    expect(second.output()).toMatch(new RegExp(`resumed after ${position} documents`));
    expect(await count('trips')).toBe(TRIPS);
    expect(await count('bookings')).toBe(TRIPS + BOOKINGS);
    expect(fs.readFileSync(path.join(dir, 'report.csv'), 'utf8')).toBe(
      'position,location,code,reason\n',
    );

    const third = itinera(...args);
    expect(await exited(third.child)).toBe(0);
    expect(third.output()).toContain('imported before');
    expect(await count('trips')).toBe(TRIPS);
  }, 120_000);
});
