/**
 * Parallel booking posts for one traveller, through real HTTP, to two Itinera instances that
 * share one database through their own connections (as two processes do): the trips at the end
 * are exactly the ones a serial run gives — one trip per group of overlapping bookings.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { BOOKING_PATH, bookingXml } from '../../helpers/booking-requests.js';
import { freshDatabase, seedTenant, type TestContext, tokenFor } from '../../helpers/test-app.js';
import { listTrips } from '../../helpers/trip-requests.js';
import { findAll, parseXml, text } from '../../helpers/xml-tree.js';

let database: Awaited<ReturnType<typeof freshDatabase>>;
let apps: FastifyInstance[];
let urls: string[];
let context: TestContext;

beforeAll(async () => {
  database = await freshDatabase();
  const config = Object.freeze(loadConfig({ LOG_LEVEL: 'silent', NOTIFICATION_DELIVERY: 'false' }));
  const first = await buildApp(config, { database: database.database });
  const second = await buildApp(config, { database: database.connectAgain() });
  apps = [first, second];
  urls = [];
  for (const app of apps) {
    await app.listen({ port: 0, host: '127.0.0.1' });
    urls.push(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);
  }
  context = {
    app: first,
    database: database.database,
    config,
    connectAgain: database.connectAgain,
    close: async () => {},
  };
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await database.drop();
});

interface Spec {
  locator: string;
  from: number;
  to: number;
}

/** Groups of bookings that chain by overlapping dates, and loners. */
function scenario(round: number): { specs: Spec[]; groups: string[][] } {
  const chain = (name: string, start: number, length: number) =>
    Array.from({ length }, (_, i) => ({
      locator: `${name}${round}-${i}`,
      from: start + 2 * i,
      to: start + 2 * i + 2,
    }));
  const first = chain('A', 10, 8);
  const second = chain('B', 100, 6);
  const loners = [200, 210, 220, 230].map((day, i) => ({
    locator: `L${round}-${i}`,
    from: day,
    to: day + 1,
  }));
  const specs = [...first, ...second, ...loners];
  const groups = [first, second, ...loners.map((l) => [l])].map((g) =>
    g.map((s) => s.locator).sort(),
  );
  return { specs, groups };
}

function shuffle<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

describe('parallel booking posts', () => {
  it.each([1, 2, 3])('end with the serial result (round %i)', async (round) => {
    const tenant = await seedTenant(context);
    const token = await tokenFor(context, tenant, tenant.traveller);
    const { specs, groups } = scenario(round);
    // Every booking twice (a re-post races its own first post), in random order, on both servers.
    const requests = shuffle([...specs, ...specs]).map((spec, index) =>
      fetch(`${urls[index % 2]}${BOOKING_PATH}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
        body: bookingXml(spec),
      }),
    );
    const responses = await Promise.all(requests);
    for (const response of responses) {
      expect(response.status, await response.clone().text()).toBe(200);
    }

    const listed = await listTrips(apps[0] as FastifyInstance, token, {
      createdAfterDate: '2000-01-01',
      includeCanceledTrips: 'true',
    });
    const tripIds = findAll(parseXml(listed.body), 'ItineraryInfo').map((i) => text(i, 'TripId'));
    const actual: string[][] = [];
    for (const tripId of tripIds) {
      const trip = await (apps[1] as FastifyInstance).inject({
        method: 'GET',
        url: `/api/travel/trip/v1.1/${tripId}`,
        headers: { authorization: `Bearer ${token}` },
      });
      const locators = findAll(parseXml(trip.body), 'Bookings/Booking').map(
        (b) => text(b, 'RecordLocator') ?? '',
      );
      actual.push(locators.sort());
    }
    const key = (g: string[]) => g.join(',');
    expect(actual.map(key).sort()).toEqual(groups.map(key).sort());
  });
});
