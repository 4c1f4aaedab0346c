/**
 * Itinerary v4's complete example (v4.itinerary.md, "Retrieve a Trip Record"), reproduced from a
 * v1.1 trip of the same content: the XML of `test/fixtures/v4/itinerary-v4-example.xml` holds
 * the example's values, posted through v1.1 and read back through v4 field by field, with the
 * example's names, nesting and JSON types.
 */

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedDatabase, validateSeedFile } from '../../../src/modules/accounts/seed/seed.service.js';
import { useTestContext } from '../../helpers/app-fixture.js';
import { fixturePath } from '../../helpers/reference-files.js';
import type { TestContext } from '../../helpers/test-app.js';
import { createTrip, getTrip } from '../../helpers/trip-requests.js';
import { getTripV4, referenceExample, v4Token } from '../../helpers/v4-requests.js';
import { parseXml, text } from '../../helpers/xml-tree.js';

const LOGIN = 'itintrips@coreprofiletesting.com';
const tmc = {
  clientId: `tmc-${randomUUID().slice(0, 8)}`,
  clientSecret: 'secret-tmc-0123456789-v4',
};

let context: TestContext;
let token: string;
let tripId: string;
let answer: Record<string, unknown>;

useTestContext((given) => {
  context = given;
});
beforeAll(async () => {
  await seedDatabase(
    context.database.db,
    validateSeedFile({
      companies: [{ name: 'Core profile testing', region: 'us' }],
      users: [
        {
          loginId: LOGIN,
          password: 'pw-itintrips-0123',
          company: 'Core profile testing',
          firstName: 'Emil',
          lastName: 'Dover',
        },
      ],
      apps: [
        {
          ...tmc,
          name: 'Outtask Travel Apollo',
          kind: 'tmc',
          scopes: ['ITINER'],
          companies: ['Core profile testing'],
        },
      ],
    }),
  );
  token = await v4Token(context, tmc);
  const xml = fs.readFileSync(fixturePath('v4/itinerary-v4-example.xml'), 'utf8');
  ({ tripId } = await createTrip(context.app, token, xml, {
    userid_type: 'login_id',
    userid_value: LOGIN,
  }));
  const response = await getTripV4(context.app, token, tripId);
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  answer = response.json() as Record<string, unknown>;
});

/**
 * Values the server assigns to every trip, booking and segment it stores (v1.1 rules: creation
 * and change times, the posting tool as BookingOwner), checked on their own below.
 */
const SERVER_ASSIGNED = ['id', 'DateCreatedUtc', 'DateModifiedUtc', 'BookingOwner'];

type Json = Record<string, unknown>;

/** Trip, bookings and segments without the server-assigned values. */
function comparable(trip: Json): Json {
  const copy = structuredClone(trip);
  const strip = (object: Json) => {
    for (const name of SERVER_ASSIGNED) delete object[name];
  };
  strip(copy);
  // The trip's locators, which v1.1 assigns to every trip it stores.
  delete copy.ItinLocator;
  delete copy.TripLinkLocator;
  for (const booking of copy.Bookings as Json[]) {
    strip(booking);
    for (const segments of Object.values(booking.Segments as Record<string, Json[]>)) {
      for (const segment of segments) strip(segment);
    }
  }
  return copy;
}

/** Every object of the trip, booking and segment levels. */
function levels(trip: Json): Json[] {
  const bookings = trip.Bookings as Json[];
  return [
    trip,
    ...bookings,
    ...bookings.flatMap((b) => Object.values(b.Segments as Record<string, Json[]>).flat()),
  ];
}

describe('GET /travel/v4/trips/{id}: the reference example', () => {
  it('answers every field of the example with its name, nesting, type and value', () => {
    const example = referenceExample();
    const ours = comparable(answer);
    const theirs = comparable(example);
    // AccountingLine is XSD `xs:any`, which v1.1 never stores (COMPATIBILITY.md, "Itinerary v4").
    for (const ticket of (theirs.Bookings as { AirlineTickets?: { AirlineTicket: object[] } }[])[0]
      ?.AirlineTickets?.AirlineTicket ?? []) {
      delete (ticket as Record<string, unknown>).AccountingLine;
    }
    expect(ours).toEqual(theirs);
    // Key order too: the example's, case-insensitively alphabetical.
    const exampleKeys = Object.keys(example);
    expect(Object.keys(answer).filter((key) => exampleKeys.includes(key))).toEqual(exampleKeys);
  });

  it('answers the trip id as its v4 URL, the same id as v1.1', async () => {
    expect(answer.id).toBe(`http://localhost:80/travel/v4/trips/${tripId}`);
    const v11 = await getTrip(context.app, token, tripId, {
      userid_type: 'login_id',
      userid_value: LOGIN,
    });
    expect(text(parseXml(v11.body), 'id')).toMatch(new RegExp(`/api/travel/trip/v1.1/${tripId}$`));
  });

  it('answers the server-assigned values in the example format', () => {
    const utc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+00:00$/;
    const all = levels(answer);
    expect(all).toHaveLength(1 + 3 + 3);
    for (const object of all) {
      expect(object.DateCreatedUtc).toMatch(utc);
      expect(object.DateModifiedUtc).toMatch(utc);
    }
    expect(answer.ItinLocator).toEqual(expect.any(String));
    expect(answer.TripLinkLocator).toEqual(expect.any(String));
    for (const booking of answer.Bookings as Json[]) {
      expect(booking.BookingOwner).toBe('ConcurConnectAPI');
      expect(booking).not.toHaveProperty('Source');
    }
  });

  it('types leaves as the example does', () => {
    type Booking = {
      IsGhostCard: boolean;
      Delivery: { Latitude: number };
      Segments: { Air: Record<string, unknown>[] };
    };
    const booking = (answer.Bookings as Booking[])[0] as Booking;
    const air = booking.Segments.Air[0] ?? {};
    expect(answer.TripStatus).toBe(0);
    expect(booking.IsGhostCard).toBe(false);
    expect(air.IsUpgradeAllowed).toBe(true);
    expect(air.Duration).toBe(140);
    expect(air.CarbonEmissionLbs).toBe(5470);
    expect(air.StartDateLocal).toBe('2020-12-11T15:54:18.000-00:00');
    expect(air.StartDateUtc).toBe('2020-12-11T20:54:18.000+00:00');
    expect(booking.Delivery.Latitude).toBe(51.32);
  });
});
