/**
 * Time of one `UpdateCoupon` look-up against a company holding many ticketed bookings,
 * in-process and sequential (as profile-post.ts): builds the app on a temporary SQLite file (or
 * a new schema of PROFILE_DATABASE_URL, PostgreSQL), stores PROFILE_TICKETS trips of one
 * ticketed booking each (the supplier guide's sample, each with its own ticket number), then
 * sends rounds of PROFILE_LOOKUPS coupon updates naming tickets spread over them and prints the
 * µs per request (median and best round). The update sends the values the coupon holds, so
 * nothing is written: the figure is the look-up and the request around it.
 *
 *   npx tsx scripts/profile-coupon.ts
 *   PROFILE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx scripts/profile-coupon.ts
 *
 * Environment: PROFILE_TICKETS (default 3000), PROFILE_LOOKUPS (per round, default 300),
 * PROFILE_ROUNDS (default 5).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { connectDatabase, type DatabaseHandle } from '../src/db/connect.js';
import { seedDatabase, validateSeedFile } from '../src/modules/accounts/seed/seed.service.js';

const SAMPLES = path.resolve(import.meta.dirname, '../reference/concur/samples');
const SAMPLE_TICKET = '7249117982';
const TRIP_NS = 'http://www.concursolutions.com/api/travel/trip/2010/06';
const TENANT = {
  company: 'Coupon Company',
  loginId: 'coupon-traveller@example.com',
  password: 'coupon-password-0123',
  clientId: 'coupon-tmc',
  clientSecret: 'coupon-secret-0123456789',
};

function positiveEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

/** A fresh database: a temporary SQLite file, or a new schema of PROFILE_DATABASE_URL. */
async function freshDatabase(): Promise<{ database: DatabaseHandle; drop(): Promise<void> }> {
  const url = process.env.PROFILE_DATABASE_URL;
  if (url) {
    const schema = `profile_${randomUUID().replaceAll('-', '')}`;
    const run = async (statement: string) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(statement);
      await client.end();
    };
    await run(`create schema ${schema}`);
    const database = connectDatabase({ dialect: 'postgres', connectionString: url, schema });
    return {
      database,
      drop: async () => {
        await database.close();
        await run(`drop schema ${schema} cascade`);
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-coupon-'));
  const database = connectDatabase({ dialect: 'sqlite', filename: path.join(dir, 'coupon.db') });
  return {
    database,
    drop: async () => {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const ticketOf = (i: number) => String(1_000_000_000 + i);

async function main(): Promise<void> {
  const tickets = positiveEnv('PROFILE_TICKETS', 3000);
  const lookups = positiveEnv('PROFILE_LOOKUPS', 300);
  const rounds = positiveEnv('PROFILE_ROUNDS', 5);
  const { database, drop } = await freshDatabase();
  const config = Object.freeze({
    // Thousands of requests from one app in a few seconds: not what the limits are for.
    ...loadConfig({
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_MINUTE: '1000000000',
      RATE_LIMIT_PER_HOUR: '1000000000',
    }),
    notificationDelivery: false,
  });
  const app = await buildApp(config, { database });
  try {
    await seedDatabase(
      database.db,
      validateSeedFile({
        companies: [{ name: TENANT.company, region: 'us' }],
        users: [
          {
            loginId: TENANT.loginId,
            password: TENANT.password,
            company: TENANT.company,
            firstName: 'Coupon',
            lastName: 'Traveller',
          },
        ],
        apps: [
          {
            clientId: TENANT.clientId,
            clientSecret: TENANT.clientSecret,
            name: 'Coupon TMC',
            kind: 'tmc',
            scopes: ['openid', 'ITINER'],
            companies: [TENANT.company],
          },
        ],
      }),
    );
    const grant = await app.inject({
      method: 'POST',
      url: '/oauth2/v0/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'password',
        client_id: TENANT.clientId,
        client_secret: TENANT.clientSecret,
        username: TENANT.loginId,
        password: TENANT.password,
      }).toString(),
    });
    const token = (grant.json() as { access_token: string }).access_token;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/xml' };
    const booking = fs
      .readFileSync(path.join(SAMPLES, 'supplier-air-post-booking-ticketed-request.xml'), 'utf8')
      .replace(/^\uFEFF?<\?xml[^>]*\?>/, '');
    const update = fs.readFileSync(
      path.join(SAMPLES, 'supplier-air-update-coupon-request.xml'),
      'utf8',
    );

    // One trip per ticket: trips never merge, so each stays one small trip.
    const seeding = performance.now();
    for (let i = 0; i < tickets; i++) {
      const body =
        `<Itinerary xmlns="${TRIP_NS}"><TripName>Ticket ${i}</TripName><Bookings>` +
        booking
          .replace('<RecordLocator>DJM9876</RecordLocator>', `<RecordLocator>T${i}</RecordLocator>`)
          .replace(SAMPLE_TICKET, ticketOf(i)) +
        '</Bookings></Itinerary>';
      const response = await app.inject({
        method: 'POST',
        url: '/api/travel/trip/v1.1',
        headers,
        payload: body,
      });
      if (response.statusCode !== 200) throw new Error(`trip POST: ${response.body}`);
    }
    console.log(
      `stored ${tickets} ticketed trips in ${Math.round(performance.now() - seeding)} ms`,
    );

    const perRequest: number[] = [];
    for (let round = 0; round <= rounds; round++) {
      const started = performance.now();
      for (let i = 0; i < lookups; i++) {
        const ticket = ticketOf((i * 7919 + round) % tickets);
        const response = await app.inject({
          method: 'POST',
          url: '/api/travel/booking/v1.1/UpdateCoupon',
          headers,
          payload: update.replace(SAMPLE_TICKET, ticket),
        });
        if (response.statusCode !== 200) throw new Error(`UpdateCoupon: ${response.body}`);
      }
      // Round 0 warms up.
      if (round > 0) perRequest.push(((performance.now() - started) * 1000) / lookups);
    }
    const sorted = [...perRequest].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    console.log(
      `UpdateCoupon on ${database.dialect}, ${tickets} tickets: ` +
        `median ${Math.round(median)} µs/request, best ${Math.round(sorted[0] ?? 0)} µs`,
    );
  } finally {
    await app.close();
    await drop();
  }
}

await main();
