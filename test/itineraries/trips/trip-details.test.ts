/**
 * GET /api/travel/trip/v1.1/{tripId} (SPEC §2.2): the full Itinerary, XML whatever Accept says.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../helpers/app-fixture.js';
import { sample } from '../../helpers/reference-files.js';
import type { TestContext } from '../../helpers/test-app.js';
import {
  createTrip,
  expectError,
  getTrip,
  TRIP_NS,
  TRIP_PATH,
} from '../../helpers/trip-requests.js';
import { findAll, parseXml, text, texts } from '../../helpers/xml-tree.js';

let context: TestContext;
let token: string;
let tripId: string;
let createdBody: string;

useTestApp((given) => {
  ({ context, token } = given);
});
beforeAll(async () => {
  const created = await createTrip(context.app, token, sample('tmc-guide-post-trip-request.xml'));
  tripId = created.tripId;
  createdBody = created.response.body;
});

describe('GET /api/travel/trip/v1.1/{tripId}', () => {
  it('returns 200 with the same Itinerary the create answered', async () => {
    const response = await getTrip(context.app, token, tripId);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/xml/);
    expect(response.body).toBe(createdBody);
    const doc = parseXml(response.body);
    expect(doc.name).toBe('Itinerary');
    expect(doc.uri).toBe(TRIP_NS);
    expect(text(doc, 'TripId')).toBe(tripId);
    expect(text(doc, 'id')).toMatch(new RegExp(`${TRIP_PATH}/${tripId}$`));
    expect(texts(doc, 'Bookings/Booking/RecordLocator')).toEqual(['EYQA1001']);
    expect(findAll(doc, 'Bookings/Booking/Segments/Air')).toHaveLength(2);
  });

  for (const accept of ['application/json', 'text/html', '*/*']) {
    it(`returns 200 with XML when Accept is ${accept}`, async () => {
      const response = await getTrip(context.app, token, tripId, {}, { accept });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/xml/);
      expect(response.body).toBe(createdBody);
    });
  }

  it('returns 200 when the trip id is requested with a trailing slash', async () => {
    const response = await context.app.inject({
      method: 'GET',
      url: `${TRIP_PATH}/${tripId}/`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode).toBe(200);
    expect(text(parseXml(response.body), 'TripId')).toBe(tripId);
  });

  it('returns 404 with an <Error> naming the trip for an unknown trip id', async () => {
    const response = await getTrip(context.app, token, 'unknownTrip123');
    expectError(response, 404, /unknownTrip123/);
  });

  it('returns 404 for a trip id that differs only in letter case', async () => {
    const other = tripId === tripId.toUpperCase() ? tripId.toLowerCase() : tripId.toUpperCase();
    expectError(await getTrip(context.app, token, other), 404);
  });
});
