/**
 * The notification part of `npm run bench`: a burst of trip changes (BENCH_NOTIFICATIONS,
 * default 10,000) for an app subscribed to its company, delivered to a receiver on 127.0.0.1
 * that answers 200 at once. Reports how long the outbox takes to drain and the rate.
 *
 * The changes go through the real write path when this build serves the subscribe endpoint
 * (trip POSTs after `POST /api/company/v1.0/subscribe?type=itinerary`); a build without it
 * gets the same number of outbox rows inserted the way the write path writes them, in one
 * burst, and the report says which one ran.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import SQLite from 'better-sqlite3';
import { connectDatabase } from '../../src/db/connect.js';
import type { NewNotification } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { formatUtc } from '../../src/domain/dates.js';
import { seedDatabase, validateSeedFile } from '../../src/modules/accounts/seed/seed.service.js';
import { insertNotifications } from '../../src/modules/notifications/notification.repository.js';
import { requestToken } from './bench-client.js';
import { startServer } from './child.js';
import { runLoad } from './load.js';
import { loadTripBodies } from './trip-bodies.js';

const COMPANY = 'Notification Bench Company';
const ADMIN = { loginId: 'bench-notify-admin@example.com', password: 'bench-notify-0123' };
const APP = { clientId: 'bench-notify-tmc', clientSecret: 'bench-notify-secret-0123456789' };
const TRIP_PATH = '/api/travel/trip/v1.1';
const SUBSCRIBE_PATH = '/api/company/v1.0/subscribe?type=itinerary';
const DAY_MS = 86_400_000;
const MAX_AGE_MS = 72 * 3600_000;
// Nothing in a healthy run comes near this; it only stops a broken one.
const DRAIN_LIMIT_MS = 600_000;

export interface NotificationBenchSettings {
  changes: number;
  connections: number;
}

export interface NotificationBenchResult {
  /** How the changes were made. */
  source: 'trip POSTs' | 'outbox rows inserted';
  changes: number;
  /** Time to make the changes (POSTs answered, or rows committed). */
  writeSeconds: number;
  /** From the first change to the last notification recorded delivered. */
  drainSeconds: number;
  delivered: number;
  /** Requests the receiver got beyond one per notification (retries; 0 expected). */
  repeats: number;
}

/** A receiver that answers 200 at once and counts distinct delivery ids. */
async function startReceiver() {
  const seen = new Set<string>();
  let requests = 0;
  const server = http.createServer((request, response) => {
    requests++;
    seen.add(String(request.headers['itinera-delivery-id']));
    request.resume();
    request.on('end', () => response.end());
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/itinera`,
    seen,
    requests: () => requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function prepare(file: string, postbackUrl: string): Promise<void> {
  const database = connectDatabase({ dialect: 'sqlite', filename: file });
  try {
    await migrateToLatest(database.db, database.dialect);
    await seedDatabase(
      database.db,
      validateSeedFile({
        companies: [{ name: COMPANY, region: 'us' }],
        users: [{ ...ADMIN, company: COMPANY, roles: ['WebServicesAdministrator'] }],
        apps: [
          {
            ...APP,
            name: 'Notification bench TMC',
            kind: 'tmc',
            scopes: ['ITINER'],
            companies: [COMPANY],
            postbackUrl,
          },
        ],
      }),
    );
  } finally {
    await database.close();
  }
}

/** Without the write path's hook: the rows a trip create would write, in one burst. */
async function insertBurst(file: string, changes: number): Promise<void> {
  const database = connectDatabase({ dialect: 'sqlite', filename: file });
  try {
    const app = await database.db
      .selectFrom('apps')
      .select('id')
      .where('client_id', '=', APP.clientId)
      .executeTakeFirstOrThrow();
    const user = await database.db
      .selectFrom('users')
      .select(['id', 'company_id'])
      .where('login_id', '=', ADMIN.loginId)
      .executeTakeFirstOrThrow();
    const now = Date.now();
    const rows: NewNotification[] = Array.from({ length: changes }, () => {
      const tripId = randomUUID().replaceAll('-', '');
      return {
        id: randomUUID(),
        app_id: app.id,
        company_id: user.company_id,
        trip_id: tripId,
        user_id: user.id,
        login_id: ADMIN.loginId,
        event_type: 'CREATE',
        event_at: now,
        body:
          '<?xml version="1.0" encoding="utf-8"?>\n<Notification><ObjectType>ITINERARY</ObjectType>' +
          `<ObjectURI>http://127.0.0.1${TRIP_PATH}/${tripId}</ObjectURI>` +
          `<EventDateTime>${formatUtc(now)}</EventDateTime>` +
          `<EventType>CREATE</EventType><Context/><TripId>${tripId}</TripId></Notification>`,
        status: 'pending',
        next_attempt_at: now,
        expires_at: now + MAX_AGE_MS,
        created_at: now,
      };
    });
    await database.write('bench:notifications', (trx) => insertNotifications(trx, rows));
  } finally {
    await database.close();
  }
}

function countDelivered(file: string): number {
  const sqlite = new SQLite(file, { readonly: true });
  try {
    const row = sqlite
      .prepare(`select count(*) as n from notifications where status = 'delivered'`)
      .get() as { n: number };
    return row.n;
  } finally {
    sqlite.close();
  }
}

/** Runs the scenario on its own database `file` and Itinera server. */
export async function runNotificationBench(
  file: string,
  settings: NotificationBenchSettings,
): Promise<NotificationBenchResult> {
  const receiver = await startReceiver();
  await prepare(file, receiver.url);
  const server = await startServer('itinera-notifications', 'itinera-server.ts', [file]);
  try {
    const token = await requestToken(server.url, {
      grant_type: 'password',
      client_id: APP.clientId,
      client_secret: APP.clientSecret,
      username: ADMIN.loginId,
      password: ADMIN.password,
    });
    const subscribed = await fetch(server.url + SUBSCRIBE_PATH, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    await subscribed.text();
    const realPath = subscribed.status === 200;
    const started = Date.now();
    if (realPath) {
      const bodies = loadTripBodies();
      const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
      let next = 0;
      const load = await runLoad({
        url: server.url + TRIP_PATH,
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
        connections: settings.connections,
        amount: settings.changes,
        body: () => {
          const index = next++;
          return bodies.bodyFor(index, today + (index % 365) * DAY_MS);
        },
      });
      if (load.non2xx > 0 || load.errors > 0) {
        throw new Error(`trip POSTs failed: ${JSON.stringify(load.statusCounts)}`);
      }
    } else {
      await insertBurst(file, settings.changes);
    }
    const writeSeconds = (Date.now() - started) / 1000;
    let delivered = 0;
    while (delivered < settings.changes) {
      if (Date.now() - started > DRAIN_LIMIT_MS) {
        throw new Error(`only ${delivered} of ${settings.changes} delivered after 10 minutes`);
      }
      await new Promise((r) => setTimeout(r, 50));
      delivered = countDelivered(file);
    }
    const drainSeconds = (Date.now() - started) / 1000;
    return {
      source: realPath ? 'trip POSTs' : 'outbox rows inserted',
      changes: settings.changes,
      writeSeconds,
      drainSeconds,
      delivered: receiver.seen.size,
      repeats: receiver.requests() - receiver.seen.size,
    };
  } finally {
    await server.stop();
    await receiver.stop();
  }
}
