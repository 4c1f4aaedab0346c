/**
 * POST /api/travel/trip/v1.1 (create): the fields the server sets (SPEC §2.3, §11 item 11),
 * trips never merging, and XML answers whatever Accept says.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../helpers/app-fixture.js';
import { sample } from '../../helpers/reference-files.js';
import { seedTenant, type Tenant, type TestContext, tokenFor } from '../../helpers/test-app.js';
import {
  createTrip,
  dayAt,
  everyTripId,
  getTrip,
  listedTripIds,
  postTrip,
  TRIP_NS,
  TRIP_PATH,
  tripXml,
} from '../../helpers/trip-requests.js';
import { find, findAll, parseXml, text, texts, type XmlElement } from '../../helpers/xml-tree.js';

let context: TestContext;
let token: string;

useTestApp((given) => {
  ({ context, token } = given);
});

const TMC_GUIDE = 'tmc-guide-post-trip-request.xml';
const UTC_STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

function segment(doc: XmlElement, type: string, index = 0): XmlElement {
  const found = findAll(doc, `Bookings/Booking/Segments/${type}`)[index];
  expect(found, `${type}[${index}]`).toBeDefined();
  return found as XmlElement;
}

/** Whole seconds around a request, to bracket server timestamps. */
function secondsBracket(before: number, after: number) {
  const floor = new Date(Math.floor(before / 1000) * 1000).toISOString().slice(0, 19);
  const ceil = new Date(Math.ceil(after / 1000) * 1000).toISOString().slice(0, 19);
  return { floor, ceil };
}

describe('POST /api/travel/trip/v1.1', () => {
  it('returns 200 with an Itinerary in the trip namespace, as XML even when JSON is asked for', async () => {
    const response = await postTrip(
      context.app,
      token,
      sample(TMC_GUIDE),
      {},
      {
        accept: 'application/json',
      },
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/xml/);
    const doc = parseXml(response.body);
    expect(doc.name).toBe('Itinerary');
    expect(doc.uri).toBe(TRIP_NS);
  });

  it('returns 200 and sets id, ItinLocator, TripId and TripLinkLocator', async () => {
    const { tripId, doc } = await createTrip(context.app, token, sample(TMC_GUIDE));
    expect(tripId).toMatch(/^\S+$/);
    expect(text(doc, 'id')).toMatch(new RegExp(`^https?://[^/]+${TRIP_PATH}/${tripId}$`));
    expect(text(doc, 'ItinLocator')).toBe(tripId);
    expect(text(doc, 'TripLinkLocator')).toMatch(/^[A-Z0-9]{6}$/);
  });

  it('returns 200 and stamps DateCreatedUtc/DateModifiedUtc with the server time', async () => {
    const before = Date.now();
    const { doc } = await createTrip(context.app, token, sample(TMC_GUIDE));
    const { floor, ceil } = secondsBracket(before, Date.now());
    const stamps = [
      text(doc, 'DateCreatedUtc'),
      text(doc, 'DateModifiedUtc'),
      ...texts(doc, 'Bookings/Booking/DateCreatedUtc'),
      ...texts(doc, 'Bookings/Booking/DateModifiedUtc'),
      text(segment(doc, 'Car'), 'DateCreatedUtc'),
      text(segment(doc, 'Air', 1), 'DateModifiedUtc'),
    ];
    for (const stamp of stamps) {
      expect(stamp).toMatch(UTC_STAMP);
      // The sample posts 2020 values for all of these; the server replaces them.
      expect(stamp! >= floor && stamp! <= ceil, `${stamp} in [${floor}, ${ceil}]`).toBe(true);
    }
  });

  it('returns 200 and sets BookingOwner and Source to ConcurConnectAPI for a TMC app', async () => {
    const { doc } = await createTrip(context.app, token, sample('post-trip-tmc-request.xml'));
    const bookings = findAll(doc, 'Bookings/Booking');
    expect(bookings).toHaveLength(2);
    for (const booking of bookings) {
      expect(text(booking, 'BookingOwner')).toBe('ConcurConnectAPI');
      expect(text(booking, 'Source')).toBe('ConcurConnectAPI');
    }
  });

  it('returns 200 and numbers the Air segments with LegId in time order', async () => {
    const { doc } = await createTrip(context.app, token, sample(TMC_GUIDE));
    expect(text(segment(doc, 'Air', 0), 'LegId')).toBe('1');
    expect(text(segment(doc, 'Air', 1), 'LegId')).toBe('2');
  });

  it('returns 200 and recomputes the trip dates from the segments (TMC guide sample)', async () => {
    const { doc } = await createTrip(context.app, token, sample(TMC_GUIDE));
    // Posted 08:55 … 12:35; the segments run from the 07:00 flight to the 09:00 car return.
    expect(text(doc, 'StartDateLocal')).toBe('2021-01-11T07:00:00');
    expect(text(doc, 'EndDateLocal')).toBe('2021-01-15T09:00:00');
    expect(text(doc, 'StartDateUtc')).toBe('2021-01-11T06:00:00');
    expect(text(doc, 'EndDateUtc')).toBe('2021-01-15T08:00:00');
  });

  it('returns 200 and derives segment UTC times from the city codes', async () => {
    const { doc } = await createTrip(context.app, token, sample(TMC_GUIDE));
    const car = segment(doc, 'Car');
    // The posted Car UTC values (23:00 / 17:00) are wrong for Rome and are replaced.
    expect(text(car, 'StartDateUtc')).toBe('2021-01-11T14:00:00');
    expect(text(car, 'EndDateUtc')).toBe('2021-01-15T08:00:00');
    const firstFlight = segment(doc, 'Air', 0);
    expect(text(firstFlight, 'StartDateUtc')).toBe('2021-01-11T06:00:00');
    expect(text(firstFlight, 'EndDateUtc')).toBe('2021-01-15T07:30:00');
    expect(text(segment(doc, 'Air', 1), 'StartDateUtc')).toBe('2021-01-11T08:30:00');
  });

  it('returns 200 and ignores ids and timestamps the client tries to set', async () => {
    const xml = tripXml({
      name: 'Forged ids',
      extra:
        '<id>https://evil.example/x</id><TripId>FORGED</TripId><ItinLocator>FORGED</ItinLocator>' +
        '<TripLinkLocator>AAAAAA</TripLinkLocator><DateCreatedUtc>2001-01-01T00:00:00</DateCreatedUtc>',
      bookings: [
        {
          locator: 'FORGE1',
          segments: [{ type: 'Air', start: dayAt(3), end: dayAt(3, 14) }],
          extra: '<BookingOwner>Someone</BookingOwner><Source>Elsewhere</Source>',
        },
      ],
    });
    const { tripId, doc } = await createTrip(context.app, token, xml);
    expect(tripId).not.toBe('FORGED');
    expect(text(doc, 'ItinLocator')).toBe(tripId);
    expect(text(doc, 'TripLinkLocator')).not.toBe('AAAAAA');
    expect(text(doc, 'id')).not.toContain('evil.example');
    expect(text(doc, 'DateCreatedUtc')).not.toBe('2001-01-01T00:00:00');
    expect(text(doc, 'Bookings/Booking/BookingOwner')).toBe('ConcurConnectAPI');
    expect(text(doc, 'Bookings/Booking/Source')).toBe('ConcurConnectAPI');
    expect((await getTrip(context.app, token, 'FORGED')).statusCode).toBe(404);
  });

  it('returns 200 for a trip without bookings', async () => {
    const { tripId, doc } = await createTrip(context.app, token, tripXml({ name: 'Empty' }));
    expect(text(doc, 'TripName')).toBe('Empty');
    expect(find(doc, 'Bookings/Booking')).toBeUndefined();
    expect((await getTrip(context.app, token, tripId)).statusCode).toBe(200);
  });
});

describe('POST /api/travel/trip/v1.1 never merges trips', () => {
  let mergeTenant: Tenant;
  let mergeToken: string;

  beforeAll(async () => {
    mergeTenant = await seedTenant(context);
    mergeToken = await tokenFor(context, mergeTenant, mergeTenant.traveller);
  });

  it('returns 200 twice with two trips for overlapping trips with other bookings', async () => {
    const first = await createTrip(
      context.app,
      mergeToken,
      tripXml({
        name: 'One',
        bookings: [{ locator: 'OVL001', segments: [{ start: dayAt(10), end: dayAt(14) }] }],
      }),
    );
    const second = await createTrip(
      context.app,
      mergeToken,
      tripXml({
        name: 'Two',
        bookings: [{ locator: 'OVL002', segments: [{ start: dayAt(11), end: dayAt(13) }] }],
      }),
    );
    expect(second.tripId).not.toBe(first.tripId);
    const listed = await listedTripIds(context.app, mergeToken);
    expect(listed).toEqual(expect.arrayContaining([first.tripId, second.tripId]));
    expect(listed).toHaveLength(2);
    const read = parseXml((await getTrip(context.app, mergeToken, first.tripId)).body);
    expect(texts(read, 'Bookings/Booking/RecordLocator')).toEqual(['OVL001']);
  });

  it('returns 200 twice with two distinct trips when the same sample is posted twice', async () => {
    const before = await everyTripId(context.app, mergeToken);
    const first = await createTrip(context.app, mergeToken, sample(TMC_GUIDE));
    const second = await createTrip(context.app, mergeToken, sample(TMC_GUIDE));
    expect(second.tripId).not.toBe(first.tripId);
    expect((await getTrip(context.app, mergeToken, first.tripId)).statusCode).toBe(200);
    const read = parseXml((await getTrip(context.app, mergeToken, second.tripId)).body);
    expect(texts(read, 'Bookings/Booking/RecordLocator')).toEqual(['EYQA1001']);
    const after = await everyTripId(context.app, mergeToken);
    expect(after).toHaveLength(before.length + 2);
    expect(after).toEqual(expect.arrayContaining([first.tripId, second.tripId]));
    // Trips never merge (docs/COMPATIBILITY.md "Booking identity inside trips"): each trip keeps
    // its own copy of the booking EYQA1001/POSTMAN, as Concur shows two itineraries.
    for (const tripId of [first.tripId, second.tripId]) {
      const trip = parseXml((await getTrip(context.app, mergeToken, tripId)).body);
      expect(text(trip, 'TripStatus')).toBe('0');
      expect(texts(trip, 'Bookings/Booking/RecordLocator')).toEqual(['EYQA1001']);
    }
    // The guide's passenger (William Never1) is not this traveller (Chris Miller): a guest trip.
    const listed = await listedTripIds(context.app, mergeToken, {
      startDate: '2021-01-01',
      endDate: '2021-01-31',
      includeGuestBookings: 'true',
    });
    expect(listed).toEqual(expect.arrayContaining([first.tripId, second.tripId]));
    expect(listed).toHaveLength(2);
  });
});
