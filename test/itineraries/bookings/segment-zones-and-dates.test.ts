/**
 * Issue 12 item 8: an unknown segment `TimeZone` is refused with 400 naming the element and
 * the value, nothing stored; `T24:00:00` (XSD's end of day) is read as the next day's midnight.
 */
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../helpers/app-fixture.js';
import { bookingXml, placeBooking, postBooking } from '../../helpers/booking-requests.js';
import type { TestContext } from '../../helpers/test-app.js';
import {
  everyTripId,
  expectError,
  getTrip,
  postTrip,
  tripXml,
} from '../../helpers/trip-requests.js';
import { parseXml, text } from '../../helpers/xml-tree.js';

let context: TestContext;
let traveller: string;

useTestApp((given) => {
  ({ context, token: traveller } = given);
});

describe('segment TimeZone', () => {
  it('refuses an unknown zone in a booking POST, naming the element and value, storing nothing', async () => {
    const before = await everyTripId(context.app, traveller);
    const response = await postBooking(
      context.app,
      traveller,
      bookingXml({
        locator: 'TZ-BAD',
        from: 40,
        to: 41,
        extra: '<TimeZone>Mars/Olympus</TimeZone>',
      }),
    );
    const { message } = expectError(response, 400);
    expect(message).toContain('Booking/Segments/Car[1]/TimeZone');
    expect(message).toContain("'Mars/Olympus'");
    expect(await everyTripId(context.app, traveller)).toEqual(before);
  });

  it('refuses an abbreviation that names several zones (PST) in a trip POST', async () => {
    const before = await everyTripId(context.app, traveller);
    const xml = tripXml({
      bookings: [
        { locator: 'TZ-OK', segments: [{ start: '2031-05-01T10:00:00' }] },
        {
          locator: 'TZ-PST',
          segments: [
            { start: '2031-05-01T10:00:00' },
            { type: 'Hotel', start: '2031-05-01T15:00:00', extra: '<TimeZone>PST</TimeZone>' },
          ],
        },
      ],
    });
    const { message } = expectError(await postTrip(context.app, traveller, xml), 400);
    expect(message).toContain('Itinerary/Bookings/Booking[2]/Segments/Hotel[2]/TimeZone');
    expect(message).toContain("'PST'");
    expect(await everyTripId(context.app, traveller)).toEqual(before);
  });

  it('accepts published names, Windows IDs and an empty TimeZone', async () => {
    for (const [locator, zone] of [
      ['TZ-IANA', 'Europe/Berlin'],
      ['TZ-WIN', 'W. Europe Standard Time'],
      ['TZ-GMT', 'GMT-1200'],
      ['TZ-EMPTY', ''],
    ] as const) {
      const { doc } = await placeBooking(
        context.app,
        traveller,
        bookingXml({ locator, from: 60, to: 61, extra: `<TimeZone>${zone}</TimeZone>` }),
      );
      expect(text(doc, 'TripId')).toBeTruthy();
    }
  });
});

describe('T24:00:00', () => {
  it('is stored as the next day’s midnight, with its UTC time and the trip’s dates', async () => {
    const xml =
      '<Booking><RecordLocator>T24-1</RecordLocator><BookingSource>Alamo</BookingSource>' +
      '<Segments><Car><StartCityCode>LHR</StartCityCode>' +
      '<StartDateLocal>2031-12-31T24:00:00</StartDateLocal>' +
      '<EndDateLocal>2032-01-02T24:00</EndDateLocal></Car></Segments></Booking>';
    const { tripId, doc } = await placeBooking(context.app, traveller, xml);
    // The booking POST answer holds the posted booking directly under <Itinerary> (issue 12).
    expect(text(doc, 'Booking/Segments/Car/StartDateLocal')).toBe('2032-01-01T00:00:00');
    expect(text(doc, 'Booking/Segments/Car/EndDateLocal')).toBe('2032-01-03T00:00:00');
    // London in winter is UTC.
    expect(text(doc, 'Booking/Segments/Car/StartDateUtc')).toBe('2032-01-01T00:00:00');
    const read = await getTrip(context.app, traveller, tripId);
    expect(read.statusCode).toBe(200);
    expect(text(parseXml(read.body), 'StartDateLocal')).toBe('2032-01-01T00:00:00');
  });

  it('is accepted in query dates (the trip list window)', async () => {
    const response = await context.app.inject({
      method: 'GET',
      url: '/api/travel/trip/v1.1?startDate=2031-12-31T24:00:00&endDate=2032-01-05',
      headers: { authorization: `Bearer ${traveller}` },
    });
    expect(response.statusCode, response.body).toBe(200);
  });
});
