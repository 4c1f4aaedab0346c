/**
 * The database side of the scale benchmark: a fresh database (a SQLite file, or a dedicated
 * PostgreSQL database created and dropped here), its company, app and travellers, the bulk import
 * through the real CLI (`node bin/itinera.js import`, docs/IMPORT.md), and the samples of stored
 * trips the scenarios read and book into.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { parseDatabaseUrl } from '../../../src/config.js';
import { connectDatabase, type DatabaseHandle } from '../../../src/db/connect.js';
import { migrateToLatest } from '../../../src/db/migrate.js';
import { seedDatabase, validateSeedFile } from '../../../src/modules/accounts/seed/seed.service.js';
import {
  HEAVY_TRAVELLERS,
  SCALE_ADMIN,
  SCALE_APP,
  SCALE_COMPANY,
  travellerCount,
  travellerLogin,
  travellerName,
} from './scale-data.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');

/** Runs `work` on a connection to the database at `url`, closed after. */
export async function withHandle<T>(
  url: string,
  work: (h: DatabaseHandle) => Promise<T>,
): Promise<T> {
  const handle = connectDatabase(parseDatabaseUrl(url));
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}

/** PostgreSQL: creates a new, empty database and returns its URL and a function dropping it. */
export async function createPostgresDatabase(
  adminUrl: string,
  name: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`drop database if exists "${name}" with (force)`);
  await run(`create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`drop database if exists "${name}" with (force)`) };
}

/**
 * Migrates the database and creates the company, its TMC app, the password users (heavy
 * travellers, an administrator) through the seed code, and the ordinary travellers in bulk:
 * hashing a password for each of 50,000 travellers would take longer than the import.
 */
export async function prepareScaleDatabase(url: string, size: number): Promise<void> {
  await withHandle(url, async ({ db, dialect }) => {
    await migrateToLatest(db, dialect);
    await seedDatabase(
      db,
      validateSeedFile({
        companies: [{ name: SCALE_COMPANY, region: 'us' }],
        users: [...HEAVY_TRAVELLERS, SCALE_ADMIN].map((user) => ({
          ...user,
          company: SCALE_COMPANY,
        })),
        apps: [
          {
            clientId: SCALE_APP.clientId,
            clientSecret: SCALE_APP.clientSecret,
            name: 'Scale TMC',
            kind: 'tmc',
            scopes: ['openid', 'ITINER'],
            companies: [SCALE_COMPANY],
            bookingSource: SCALE_APP.bookingSource,
            travelTypes: ['Air', 'Car', 'Hotel', 'Rail'],
          },
        ],
      }),
    );
    const company = await db
      .selectFrom('companies')
      .select('id')
      .where('name', '=', SCALE_COMPANY)
      .executeTakeFirstOrThrow();
    const now = Date.now();
    const total = travellerCount(size);
    for (let first = 0; first < total; first += 500) {
      const rows = [];
      for (let t = first; t < Math.min(total, first + 500); t++) {
        const name = travellerName(t);
        rows.push({
          id: randomUUID(),
          company_id: company.id,
          login_id: travellerLogin(t),
          email: travellerLogin(t),
          first_name: name.first,
          last_name: name.last,
          password_hash: null,
          roles: '[]',
          active: 1,
          created_at: now,
        });
      }
      await db.insertInto('users').values(rows).execute();
    }
  });
}

export interface ImportResult {
  seconds: number;
  imported: number;
  merged: number;
  rejected: number;
}

/** Runs `itinera import` (the compiled CLI) on `file`, its progress lines shown indented. */
export function runImport(url: string, file: string): Promise<ImportResult> {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    ['bin/itinera.js', 'import', file, '--company', SCALE_COMPANY, '--client', SCALE_APP.clientId],
    { cwd: ROOT, env: { ...process.env, DATABASE_URL: url }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const show = (chunk: Buffer) => {
    output += chunk.toString();
    process.stdout.write(
      chunk
        .toString()
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => `    import: ${line}\n`)
        .join(''),
    );
  };
  child.stdout.on('data', show);
  child.stderr.on('data', show);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      const summary =
        /imported (\d+) \(bookings merged into existing trips: (\d+)\), rejected (\d+)/.exec(
          output,
        );
      if (code !== 0 || !summary) {
        reject(new Error(`itinera import exited with ${code}`));
        return;
      }
      resolve({
        seconds: (Date.now() - started) / 1000,
        imported: Number(summary[1]),
        merged: Number(summary[2]),
        rejected: Number(summary[3]),
      });
    });
  });
}

/** Stored trips of one traveller, and a spread of trips of the whole company to book into. */
export interface TripSamples {
  /** Trip ids of the first heavy traveller (the details scenarios read these in turn). */
  heavyTripIds: string[];
  /** Trips of random travellers, with their owner's login id and stored UTC window. */
  bookable: { login: string; startAt: number; endAt: number }[];
  trips: number;
}

/** Reads the samples the scenarios need, and the number of trips stored. */
export async function sampleTrips(url: string, limit = 5000): Promise<TripSamples> {
  return withHandle(url, async ({ db }) => {
    const heavy = await db
      .selectFrom('trips')
      .innerJoin('users', 'users.id', 'trips.owner_id')
      .select('trips.id')
      .where('users.login_id', '=', HEAVY_TRAVELLERS[0]!.loginId)
      .limit(limit)
      .execute();
    const bookable = await db
      .selectFrom('trips')
      .innerJoin('users', 'users.id', 'trips.owner_id')
      .select(['users.login_id as login', 'trips.start_at', 'trips.end_at'])
      .where('trips.status', '=', 0)
      .orderBy(sql`random()`)
      .limit(limit)
      .execute();
    return {
      heavyTripIds: heavy.map((row) => row.id),
      bookable: bookable.map((row) => ({
        login: row.login,
        startAt: Number(row.start_at),
        endAt: Number(row.end_at),
      })),
      trips: await countStoredTrips(url, db),
    };
  });
}

/** How many trips the database holds (pass `db` to reuse an open handle). */
export async function countStoredTrips(url: string, db?: DatabaseHandle['db']): Promise<number> {
  const count = async (kdb: DatabaseHandle['db']) =>
    Number(
      (
        await kdb
          .selectFrom('trips')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return db ? count(db) : withHandle(url, ({ db: fresh }) => count(fresh));
}
