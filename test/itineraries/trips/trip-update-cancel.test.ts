/**
 * POST /api/travel/trip/v1.1?tripId= (full-replace update, SPEC §2.4) and
 * POST /api/travel/trip/v1.1/cancel?tripId= (SPEC §2.5).
 */
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../helpers/app-fixture.js';
import { sample } from '../../helpers/reference-files.js';
import type { TestContext } from '../../helpers/test-app.js';
import {
  cancelTrip,
  createTrip,
  dayAt,
  expectError,
  getTrip,
  listedTripIds,
  postTrip,
  TRIP_NS,
  tripXml,
} from '../../helpers/trip-requests.js';
import { find, findAll, parseXml, text, texts } from '../../helpers/xml-tree.js';

let context: TestContext;
let token: string;

useTestApp((given) => {
  ({ context, token } = given);
});

let counter = 0;

/**
 * Two bookings: A… with an Air and a Hotel segment, B… with a Car. Record locators are unique
 * per call, so that no test's bookings collide with another's.
 */
function original(tag = String(++counter)) {
  return tripXml({
    name: 'Original',
    extra: '<Comments>first version</Comments><ProjectName>P-1</ProjectName>',
    bookings: [
      {
        locator: `A${tag}`,
        segments: [
          { type: 'Air', start: dayAt(10, 8), end: dayAt(10, 10) },
          { type: 'Hotel', start: dayAt(10, 15), end: dayAt(12, 11) },
        ],
      },
      { locator: `B${tag}`, segments: [{ type: 'Car', start: dayAt(10, 11), end: dayAt(13, 18) }] },
    ],
  });
}

/** Only booking A… with only its Air segment, renamed; Comments and ProjectName not re-sent. */
function replacement(tag: string) {
  return tripXml({
    name: 'Replaced',
    bookings: [
      { locator: `A${tag}`, segments: [{ type: 'Air', start: dayAt(10, 8), end: dayAt(10, 10) }] },
    ],
  });
}

describe('POST /api/travel/trip/v1.1?tripId={tripId}', () => {
  it('returns 200 and replaces the whole trip: bookings and segments not re-sent disappear', async () => {
    const { tripId, doc: created } = await createTrip(context.app, token, original('R1'));
    const response = await postTrip(context.app, token, replacement('R1'), { tripId });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/xml/);

    for (const body of [response.body, (await getTrip(context.app, token, tripId)).body]) {
      const doc = parseXml(body);
      expect(text(doc, 'TripId')).toBe(tripId);
      expect(text(doc, 'TripName')).toBe('Replaced');
      expect(find(doc, 'Comments')).toBeUndefined();
      expect(find(doc, 'ProjectName')).toBeUndefined();
      expect(texts(doc, 'Bookings/Booking/RecordLocator')).toEqual(['AR1']);
      expect(findAll(doc, 'Bookings/Booking/Segments/Air')).toHaveLength(1);
      expect(findAll(doc, 'Bookings/Booking/Segments/Hotel')).toHaveLength(0);
      // Trip dates follow the remaining segment.
      expect(text(doc, 'StartDateLocal')).toBe(dayAt(10, 8));
      expect(text(doc, 'EndDateLocal')).toBe(dayAt(10, 10));
      // Same trip: id, TripLinkLocator and creation time are kept.
      expect(text(doc, 'TripLinkLocator')).toBe(text(created, 'TripLinkLocator'));
      expect(text(doc, 'DateCreatedUtc')).toBe(text(created, 'DateCreatedUtc'));
      expect(text(doc, 'DateModifiedUtc')! >= text(created, 'DateModifiedUtc')!).toBe(true);
    }
    const listed = await listedTripIds(context.app, token, {
      startDate: dateOf(9),
      endDate: dateOf(14),
    });
    expect(listed.filter((id) => id === tripId)).toHaveLength(1);
  });

  it('returns 200 for the lower-case tripid parameter and answers XML even when JSON is asked for', async () => {
    const { tripId } = await createTrip(context.app, token, original('R2'));
    const response = await postTrip(
      context.app,
      token,
      replacement('R2'),
      { tripid: tripId },
      {
        accept: 'application/json',
      },
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/xml/);
    expect(parseXml(response.body).uri).toBe(TRIP_NS);
    expect(text(parseXml(response.body), 'TripName')).toBe('Replaced');
  });

  it('returns 200 and does not create a second trip', async () => {
    const { tripId } = await createTrip(
      context.app,
      token,
      tripXml({
        name: 'Counted',
        bookings: [{ locator: 'CNT001', segments: [{ start: dayAt(200), end: dayAt(201) }] }],
      }),
    );
    const window = { startDate: dateOf(199), endDate: dateOf(202) };
    expect(await listedTripIds(context.app, token, window)).toEqual([tripId]);
    const update = await postTrip(
      context.app,
      token,
      tripXml({
        name: 'Counted again',
        bookings: [{ locator: 'CNT001', segments: [{ start: dayAt(200), end: dayAt(201, 18) }] }],
      }),
      { tripId },
    );
    expect(update.statusCode, update.body).toBe(200);
    expect(await listedTripIds(context.app, token, window)).toEqual([tripId]);
  });

  it('returns 404 for an unknown trip and creates nothing', async () => {
    const window = { startDate: dateOf(9), endDate: dateOf(14), includeCanceledTrips: 'true' };
    const before = await listedTripIds(context.app, token, window);
    const response = await postTrip(context.app, token, original(), { tripId: 'no-such-trip' });
    expectError(response, 404, /no-such-trip/);
    expect(await listedTripIds(context.app, token, window)).toEqual(before);
  });

  it('returns 400 for an empty tripId', async () => {
    expectError(await postTrip(context.app, token, original(), { tripId: '' }), 400, /tripId/);
  });
});

describe('POST /api/travel/trip/v1.1/cancel?tripId={tripId}', () => {
  it('returns 200 with TripStatus 2 and every booking kept with empty <Segments />', async () => {
    const { tripId } = await createTrip(context.app, token, sample('post-trip-tmc-request.xml'));
    const response = await cancelTrip(
      context.app,
      token,
      tripId,
      {},
      { accept: 'application/json' },
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/xml/);

    for (const body of [response.body, (await getTrip(context.app, token, tripId)).body]) {
      const doc = parseXml(body);
      expect(doc.name).toBe('Itinerary');
      expect(text(doc, 'TripId')).toBe(tripId);
      expect(text(doc, 'TripStatus')).toBe('2');
      const bookings = findAll(doc, 'Bookings/Booking');
      expect(bookings.map((b) => text(b, 'RecordLocator'))).toEqual(['C123456789', '0987654321']);
      for (const booking of bookings) {
        const segments = find(booking, 'Segments');
        expect(segments, 'an empty <Segments /> element').toBeDefined();
        expect(segments!.children).toHaveLength(0);
      }
    }
  });

  it('returns 200 and the trip is then listed only with includeCanceledTrips=true', async () => {
    const { tripId } = await createTrip(
      context.app,
      token,
      tripXml({
        name: 'To cancel',
        bookings: [{ locator: 'CAN001', segments: [{ start: dayAt(300), end: dayAt(302) }] }],
      }),
    );
    const window = { startDate: dateOf(299), endDate: dateOf(303) };
    expect(await listedTripIds(context.app, token, window)).toEqual([tripId]);
    const response = await cancelTrip(context.app, token, tripId);
    expect(response.statusCode, response.body).toBe(200);
    expect(await listedTripIds(context.app, token, window)).toEqual([]);
    const withCanceled = await listedTripIds(context.app, token, {
      ...window,
      includeCanceledTrips: 'true',
    });
    expect(withCanceled).toEqual([tripId]);
  });

  it('returns 200 for the lower-case tripid parameter', async () => {
    const { tripId } = await createTrip(context.app, token, original());
    const response = await context.app.inject({
      method: 'POST',
      url: `/api/travel/trip/v1.1/cancel?tripid=${tripId}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(text(parseXml(response.body), 'TripStatus')).toBe('2');
  });

  it('returns 404 for an unknown trip', async () => {
    expectError(await cancelTrip(context.app, token, 'no-such-trip'), 404, /no-such-trip/);
  });

  it('returns 400 without a tripId', async () => {
    const response = await context.app.inject({
      method: 'POST',
      url: '/api/travel/trip/v1.1/cancel',
      headers: { authorization: `Bearer ${token}` },
    });
    expectError(response, 400, /tripId/);
  });
});

function dateOf(days: number): string {
  return dayAt(days).slice(0, 10);
}
