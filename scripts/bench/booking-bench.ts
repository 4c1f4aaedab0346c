/**
 * The booking part of `npm run bench`: booking POST throughput with 100,000 trips stored
 * (BENCH_BOOKING_TRIPS), spread over 1,000 travellers of one company, on its own SQLite file
 * and Itinera server. A TMC's company token posts each booking for a random traveller and a
 * random date, so most bookings join an overlapping trip and the rest start one.
 *
 * The stored trips are written straight into the database (posting 100,000 trips through the
 * API would take minutes); each is a real trip row with one booking, as the merge engine reads
 * them. The overlap query's plan is printed to show it runs on the owner/window index.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import SQLite from 'better-sqlite3';
import { connectDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { formatUtc } from '../../src/domain/dates.js';
import { TripStatus } from '../../src/domain/trip-status.js';
import { seedDatabase, validateSeedFile } from '../../src/modules/accounts/seed/seed.service.js';
import { overlappingTripsQuery } from '../../src/modules/itineraries/store/trip-overlap.repository.js';
import { countTrips, requestToken } from './bench-client.js';
import { startServer } from './child.js';
import { type LoadResult, runLoad } from './load.js';

const DAY_MS = 86_400_000;
const TRAVELLERS = 1_000;
const SPREAD_DAYS = 730;
const COMPANY = 'Booking Bench Company';
const APP = { clientId: 'bench-booking-tmc', clientSecret: 'bench-booking-secret-0123456789' };
const BOOKING_PATH = '/api/travel/booking/v1.1';

export interface BookingBenchSettings {
  trips: number;
  duration: number;
  warmup: number;
  connections: number;
  /** Writes a CPU profile of one Itinera worker during the measured run to this file. */
  profileFile?: string;
}

export interface BookingBenchResult {
  load: LoadResult;
  plan: string[];
  tripsBefore: number;
  tripsAfter: number;
  loadSeconds: number;
}

function loginOf(index: number): string {
  return `bench-booker-${index}@example.com`;
}

function localTime(ms: number): string {
  return formatUtc(ms);
}

/** A booking document as the merge engine stores it: one car from `start` for `days`. */
function bookingDocument(source: string, locator: string, start: number, end: number) {
  return {
    BookingSource: source,
    RecordLocator: locator,
    BookingOwner: 'ConcurConnectAPI',
    Segments: [
      {
        element: 'Car',
        node: {
          StartCityCode: 'ZZZ',
          StartDateLocal: localTime(start),
          EndDateLocal: localTime(end),
        },
      },
    ],
  };
}

/** Creates the file, the company, its travellers, the TMC app and the stored trips. */
export async function prepare(file: string, trips: number): Promise<void> {
  const database = connectDatabase({ dialect: 'sqlite', filename: file });
  try {
    await migrateToLatest(database.db, database.dialect);
    await seedDatabase(
      database.db,
      validateSeedFile({
        companies: [{ name: COMPANY, region: 'us' }],
        apps: [
          {
            ...APP,
            name: 'Booking bench TMC',
            kind: 'tmc',
            scopes: ['ITINER'],
            companies: [COMPANY],
            bookingSource: 'BENCHTMC',
          },
        ],
      }),
    );
  } finally {
    await database.close();
  }
  const sqlite = new SQLite(file);
  try {
    const company = sqlite.prepare('select id from companies where name = ?').get(COMPANY) as {
      id: string;
    };
    const now = Date.now();
    const today = Math.floor(now / DAY_MS) * DAY_MS;
    const insertUser = sqlite.prepare(
      `insert into users (id, company_id, login_id, roles, active, created_at)
       values (?, ?, ?, '[]', 1, ?)`,
    );
    const insertTrip = sqlite.prepare(
      `insert into trips (id, company_id, owner_id, name, status, start_at, end_at, created_at,
         modified_at, booking_types, triplink_locator, summary, document, rendering, origin)
       values (?, ?, ?, ?, 0, ?, ?, ?, ?, ',Car,', 'BENCH1', ?, ?, null, 'trip')`,
    );
    const insertBooking = sqlite.prepare(
      `insert into bookings (id, trip_id, company_id, owner_id, source, record_locator, app_id,
         position, start_at, end_at, segment_types, created_at, modified_at, document)
       values (?, ?, ?, ?, 'BENCHTMC', ?, null, 0, ?, ?, ',Car,', ?, ?, ?)`,
    );
    sqlite.transaction(() => {
      const users: string[] = [];
      for (let i = 0; i < TRAVELLERS; i++) {
        const id = randomUUID();
        users.push(id);
        insertUser.run(id, company.id, loginOf(i), now);
      }
      for (let i = 0; i < trips; i++) {
        const owner = users[i % TRAVELLERS] as string;
        // Each traveller's trips are spread over the two years around today, 2-4 days long.
        const start =
          today + (((i * 7919) % SPREAD_DAYS) - SPREAD_DAYS / 2) * DAY_MS + 9 * 3600_000;
        const end = start + (2 + (i % 3)) * DAY_MS;
        const tripId = `bench${i.toString(36)}`;
        const locator = `B${i.toString(36).toUpperCase()}`;
        const summary = JSON.stringify({
          startLocal: localTime(start),
          endLocal: localTime(end),
          bookingSources: ['BENCHTMC'],
          recordLocators: [locator],
          passengers: [],
          bookingKeys: [['BENCHTMC', locator]],
        });
        const document = JSON.stringify({
          TripName: `Trip ${i}`,
          TripStatus: '0',
          StartDateLocal: localTime(start),
          EndDateLocal: localTime(end),
        });
        insertTrip.run(
          tripId,
          company.id,
          owner,
          `Trip ${i}`,
          start,
          end,
          now,
          now,
          summary,
          document,
        );
        insertBooking.run(
          randomUUID(),
          tripId,
          company.id,
          owner,
          locator,
          start,
          end,
          now,
          now,
          JSON.stringify(bookingDocument('BENCHTMC', locator, start, end)),
        );
      }
    })();
    // The rows bypassed the repository: keep its bound on trip lengths (see trip.repository.ts).
    sqlite.exec(`update companies set trip_span_bound = coalesce((select max(end_at - start_at)
      from trips where trips.company_id = companies.id), 0)`);
    sqlite.exec('analyze');
  } finally {
    sqlite.close();
  }
  // Write the bulk load out now: left to the kernel, its writeback would run during the
  // measured posts and be counted against them.
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** The SQLite plan of the overlap query the merge engine runs for each booking. */
async function overlapPlan(file: string): Promise<string[]> {
  const database = connectDatabase({ dialect: 'sqlite', filename: file });
  try {
    const query = overlappingTripsQuery(database.db, {
      companyId: 'c',
      ownerId: 'o',
      from: 0,
      to: 1,
      statuses: [TripStatus.Confirmed, TripStatus.Ticketed],
      guestKey: null,
    }).compile();
    const sqlite = new SQLite(file, { readonly: true });
    try {
      const rows = sqlite
        .prepare(`explain query plan ${query.sql}`)
        .all(...(query.parameters as unknown[])) as { detail: string }[];
      return rows.map((r) => r.detail);
    } finally {
      sqlite.close();
    }
  } finally {
    await database.close();
  }
}

/** Runs the booking scenario on its own database `file`. */
export async function runBookingBench(
  file: string,
  settings: BookingBenchSettings,
): Promise<BookingBenchResult> {
  const loadStarted = Date.now();
  await prepare(file, settings.trips);
  const loadSeconds = (Date.now() - loadStarted) / 1000;
  const plan = await overlapPlan(file);
  const tripsBefore = countTrips(file);
  const server = await startServer('itinera-bookings', 'itinera-server.ts', [file]);
  try {
    const token = await requestToken(server.url, {
      grant_type: 'client_credentials',
      client_id: APP.clientId,
      client_secret: APP.clientSecret,
    });
    const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    let sequence = 0;
    let traveller = 0;
    const run = (duration: number) =>
      runLoad({
        url: server.url,
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
        connections: settings.connections,
        duration,
        path: () => {
          traveller = (traveller + 7) % TRAVELLERS;
          return `${BOOKING_PATH}?userid_type=login_id&userid_value=${encodeURIComponent(loginOf(traveller))}`;
        },
        body: () => {
          const n = sequence++;
          const start =
            today + (((n * 104_729) % SPREAD_DAYS) - SPREAD_DAYS / 2) * DAY_MS + 10 * 3600_000;
          const end = start + DAY_MS;
          return (
            `<Booking><RecordLocator>R${n.toString(36).toUpperCase()}</RecordLocator>` +
            `<BookingSource>BenchCars</BookingSource><Segments><Car><Vendor>ZE</Vendor>` +
            `<StartCityCode>SEA</StartCityCode><StartDateLocal>${localTime(start)}</StartDateLocal>` +
            `<EndDateLocal>${localTime(end)}</EndDateLocal><ConfirmationNumber>C${n}</ConfirmationNumber>` +
            `<TotalRate>120.00</TotalRate><Currency>USD</Currency></Car></Segments></Booking>`
          );
        },
      });
    await run(settings.warmup);
    if (settings.profileFile) await server.profileStart();
    const load = await run(settings.duration);
    if (settings.profileFile) await server.profileStop(settings.profileFile);
    return { load, plan, tripsBefore, tripsAfter: countTrips(file), loadSeconds };
  } finally {
    await server.stop();
  }
}
