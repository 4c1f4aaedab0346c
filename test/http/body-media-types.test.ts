/**
 * Which media types the XML and JSON bodies are read as (issue 12, items 2 and 8): a JSON
 * Content-Type on a route that reads XML is 415 whatever the body holds, as
 * docs/COMPATIBILITY.md says; `POST …/GetTrips` reads a JSON body only and refuses any other
 * body with 415 instead of answering the default window; a root element in a mistyped
 * namespace is named with both namespaces. None of these writes anything.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app-fixture.js';
import { BOOKING_PATH, bookingXml } from '../helpers/booking-requests.js';
import type { TestContext } from '../helpers/test-app.js';
import {
  auth,
  createTrip,
  everyTripId,
  expectError,
  getTrip,
  simpleTrip,
  TRIP_NS,
  TRIP_PATH,
  tripXml,
} from '../helpers/trip-requests.js';

let context: TestContext;
let token: string;
let tripId: string;

useTestApp((given) => {
  ({ context, token } = given);
});
beforeAll(async () => {
  tripId = (await createTrip(context.app, token, simpleTrip('Listed', 1, 3))).tripId;
});

async function state() {
  return {
    trips: await everyTripId(context.app, token),
    body: (await getTrip(context.app, token, tripId)).body,
  };
}

function post(url: string, payload: string | undefined, headers: Record<string, string> = {}) {
  return context.app.inject({
    method: 'POST',
    url,
    headers: { ...auth(token), ...headers },
    ...(payload === undefined ? {} : { payload }),
  });
}

describe('XML endpoints with a JSON Content-Type', () => {
  const xml = tripXml({ name: 'Sent as JSON' });
  const cases: [string, string][] = [
    ['POST /api/travel/trip/v1.1 (create)', TRIP_PATH],
    ['POST /api/travel/trip/v1.1?tripId= (update)', `${TRIP_PATH}?tripId=TRIPID`],
    ['POST /api/travel/booking/v1.1', BOOKING_PATH],
  ];
  for (const [name, url] of cases) {
    it(`returns 415 for ${name} with an XML body, and writes nothing`, async () => {
      const before = await state();
      const target = url.replace('TRIPID', tripId);
      const body = url === BOOKING_PATH ? bookingXml({ locator: 'JSON1', from: 1, to: 2 }) : xml;
      for (const type of ['application/json', 'application/json; charset=utf-8']) {
        const response = await post(target, body, { 'content-type': type });
        expectError(
          response,
          415,
          new RegExp(`^Unsupported Content-Type '${type}'; send application/xml\\.$`),
        );
      }
      expect(await state()).toEqual(before);
    });
  }

  it('still reads JSON where JSON is the body (GetTrips), and refuses bad JSON there with 400', async () => {
    const ok = await post(`${TRIP_PATH}/GetTrips`, '{"createdAfterDate": "2000-01-01"}', {
      'content-type': 'application/json',
      accept: 'application/json',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().map((item: { TripId: string }) => item.TripId)).toEqual([tripId]);
    const bad = await post(`${TRIP_PATH}/GetTrips`, '<GetTrips/>', {
      'content-type': 'application/json',
    });
    expectError(bad, 400, /not valid JSON/);
  });
});

describe('POST /api/travel/trip/v1.1/GetTrips with a body that is not JSON', () => {
  const cases: [string, Record<string, string>, string][] = [
    ['application/xml', { 'content-type': 'application/xml' }, "'application/xml'"],
    ['text/plain', { 'content-type': 'text/plain' }, "'text/plain'"],
    [
      'form data',
      { 'content-type': 'application/x-www-form-urlencoded' },
      "'application/x-www-form-urlencoded'",
    ],
    ['no Content-Type', {}, "'\\(none\\)'"],
  ];
  for (const [name, headers, quoted] of cases) {
    it(`returns 415 for ${name}, naming it and asking for JSON`, async () => {
      const response = await post(`${TRIP_PATH}/GetTrips`, 'ItemsPerPage=1', headers);
      expectError(
        response,
        415,
        new RegExp(`^Unsupported Content-Type ${quoted}; send application/json\\.$`),
      );
    });
  }

  it('returns 200 without a body, whatever the Content-Type', async () => {
    for (const headers of [{}, { 'content-type': 'application/xml' }] as Record<string, string>[]) {
      const response = await post(
        `${TRIP_PATH}/GetTrips?createdAfterDate=2000-01-01`,
        undefined,
        headers,
      );
      expect(response.statusCode, response.body).toBe(200);
      expect(response.body).toContain(tripId);
    }
  });

  it('answers 401 before 415 without credentials', async () => {
    const response = await context.app.inject({
      method: 'POST',
      url: `${TRIP_PATH}/GetTrips`,
      headers: { 'content-type': 'application/xml' },
      payload: '<GetTrips/>',
    });
    expect(response.statusCode).toBe(401);
  });
});

describe('a root element in a mistyped namespace', () => {
  it('returns 400 naming the namespace expected and the one found, and writes nothing', async () => {
    const before = await state();
    const typo = TRIP_NS.replace('/trip/', '/trips/');
    const body = tripXml({ name: 'Typo' }).replace(TRIP_NS, typo);
    const response = await post(TRIP_PATH, body, { 'content-type': 'application/xml' });
    const { message } = expectError(response, 400);
    expect(message).toBe(
      `Expected the root element <Itinerary> in the namespace ${TRIP_NS} (or in no namespace) ` +
        `but found <Itinerary> in the namespace ${typo} (line 1, column 113).`,
    );
    expect(await state()).toEqual(before);
  });
});
