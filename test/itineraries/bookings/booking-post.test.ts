/**
 * POST /api/travel/booking/v1.1 (SPEC §2.6): required fields, identity and re-posting, the
 * merge into overlapping trips, explicit tripId, segment-level cancellation, and the v1.0 alias.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../helpers/app-fixture.js';
import {
  bookingXml,
  day2031,
  locatorsOf,
  placeBooking,
  postBooking,
  tripLocators,
} from '../../helpers/booking-requests.js';
import { sample } from '../../helpers/reference-files.js';
import { type Tenant, type TestContext, tokenFor } from '../../helpers/test-app.js';
import {
  createTrip,
  everyTripId,
  expectError,
  getTrip,
  TRIP_NS,
  tripXml,
} from '../../helpers/trip-requests.js';
import { findAll, parseXml, text } from '../../helpers/xml-tree.js';

let context: TestContext;
let tenant: Tenant;
let traveller: string;
let colleague: string;
let admin: string;

useTestApp((given) => {
  ({ context, tenant, token: traveller } = given);
});
beforeAll(async () => {
  colleague = await tokenFor(context, tenant, tenant.otherTraveller);
  admin = await tokenFor(context, tenant, tenant.admin);
});

describe('posting a booking', () => {
  it('accepts the published sample and answers the trip holding it', async () => {
    const { doc, tripId } = await placeBooking(
      context.app,
      colleague,
      sample('post-booking-request.xml'),
    );
    // The booking docs' sample shape (BOOK Example 2): <Booking> directly under <Itinerary>,
    // in the http trip namespace (the sample's https is a typo), as code written from it reads
    // it (`Itinerary.Booking.RecordLocator`).
    expect(doc.name).toBe('Itinerary');
    expect(doc.uri).toBe(TRIP_NS);
    expect(doc.children.map((c) => c.name)).not.toContain('Bookings');
    expect(findAll(doc, 'Booking')).toHaveLength(1);
    expect(text(doc, 'TripName')).toBe('Trip to SEA');
    expect(text(doc, 'Booking/RecordLocator')).toBe('PANAMA50');
    expect(text(doc, 'Booking/BookingOwner')).toBe('ConcurConnectAPI');
    expect(text(doc, 'Booking/Segments/Car/TotalRate')).toBe('105.0000');
    // Local times in Seattle: the UTC values come from the city code.
    expect(text(doc, 'Booking/Segments/Car/StartDateUtc')).toBe('2013-12-21T20:00:00');
    // PassengerKey (documented, not in the XSD) is kept but not answered.
    expect(text(doc, 'Booking/Passengers/Passenger/NameFirst')).toBe('Chris');
    expect(text(doc, 'Booking/Passengers/Passenger/PassengerKey')).toBeUndefined();
    const read = await getTrip(context.app, colleague, tripId);
    expect(read.statusCode).toBe(200);
    expect(locatorsOf(read.body)).toEqual(['PANAMA50']);
  });

  it('names the missing identity field', async () => {
    const noSource = '<Booking><RecordLocator>X1</RecordLocator></Booking>';
    expectError(await postBooking(context.app, traveller, noSource), 400, /BookingSource/);
    const noLocator = '<Booking><BookingSource>Alamo</BookingSource></Booking>';
    expectError(await postBooking(context.app, traveller, noLocator), 400, /RecordLocator/);
    expectError(await postBooking(context.app, traveller, tripXml()), 400, /<Booking>/);
  });

  it('replaces a re-posted booking where it is, keeping its creation time', async () => {
    const first = await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'REPOST1', from: 10, to: 12 }),
    );
    const created = text(first.doc, 'Booking/DateCreatedUtc');
    const again = await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'REPOST1', from: 10, to: 13, extra: '<Body>Z</Body>' }),
    );
    expect(again.tripId).toBe(first.tripId);
    expect(await tripLocators(context.app, traveller, again.tripId)).toEqual(['REPOST1']);
    expect(text(again.doc, 'Booking/Segments/Car/Body')).toBe('Z');
    expect(text(again.doc, 'Booking/DateCreatedUtc')).toBe(created);
    expect(text(again.doc, 'EndDateLocal')).toBe(day2031(13, 12));
  });

  it('merges bookings whose dates overlap and starts a new trip otherwise', async () => {
    const a = await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'OV-A', from: 40, to: 42 }),
    );
    const b = await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'OV-B', from: 42, to: 45, type: 'Hotel' }),
    );
    expect(b.tripId).toBe(a.tripId);
    expect(await tripLocators(context.app, traveller, b.tripId)).toEqual(['OV-A', 'OV-B']);
    // The answer carries the posted booking only; details show the trip's others.
    expect(findAll(b.doc, 'Booking').map((x) => text(x, 'RecordLocator'))).toEqual(['OV-B']);
    expect(text(b.doc, 'StartDateLocal')).toBe(day2031(40));
    expect(text(b.doc, 'EndDateLocal')).toBe(day2031(45, 12));
    const c = await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'OV-C', from: 60, to: 61 }),
    );
    expect(c.tripId).not.toBe(a.tripId);
  });

  it('joins the trips a booking bridges into one', async () => {
    const left = await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'BR-1', from: 80, to: 82 }),
    );
    const right = await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'BR-2', from: 85, to: 87 }),
    );
    expect(right.tripId).not.toBe(left.tripId);
    const bridge = await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'BR-3', from: 82, to: 85 }),
    );
    expect(bridge.tripId).toBe(left.tripId);
    expect((await tripLocators(context.app, traveller, bridge.tripId)).sort()).toEqual([
      'BR-1',
      'BR-2',
      'BR-3',
    ]);
    expectError(await getTrip(context.app, traveller, right.tripId), 404);
  });

  it('joins a posted trip, which keeps its name, and never merges two posted trips', async () => {
    const posted = await createTrip(
      context.app,
      traveller,
      tripXml({
        name: 'Conference',
        bookings: [{ locator: 'PT-1', segments: [{ start: day2031(100), end: day2031(103) }] }],
      }),
    );
    const other = await createTrip(
      context.app,
      traveller,
      tripXml({
        name: 'Side trip',
        bookings: [{ locator: 'PT-2', segments: [{ start: day2031(103), end: day2031(106) }] }],
      }),
    );
    const joined = await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'PT-B', from: 102, to: 104 }),
    );
    expect(joined.tripId).toBe(posted.tripId);
    expect(text(joined.doc, 'TripName')).toBe('Conference');
    expect(await tripLocators(context.app, traveller, joined.tripId)).toEqual(['PT-1', 'PT-B']);
    const side = await getTrip(context.app, traveller, other.tripId);
    expect(locatorsOf(side.body)).toEqual(['PT-2']);
  });

  it('goes into the trip named by tripId, moving it from where it was', async () => {
    const target = await createTrip(context.app, traveller, tripXml({ name: 'Target' }));
    const before = await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'MOVE-1', from: 150, to: 151 }),
    );
    const moved = await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'MOVE-1', from: 150, to: 151 }),
      { tripId: target.tripId },
    );
    expect(moved.tripId).toBe(target.tripId);
    expect(await tripLocators(context.app, traveller, moved.tripId)).toEqual(['MOVE-1']);
    // The booking-made trip it left was empty, so it is gone.
    expectError(await getTrip(context.app, traveller, before.tripId), 404);
  });

  it('refuses an unknown trip (404) and another user’s trip (403)', async () => {
    const xml = bookingXml({ locator: 'T-404', from: 170, to: 171 });
    expectError(await postBooking(context.app, traveller, xml, { tripId: 'nope' }), 404);
    const theirs = await createTrip(context.app, colleague, tripXml({ name: 'Theirs' }));
    expectError(await postBooking(context.app, traveller, xml, { tripId: theirs.tripId }), 403);
    const ids = await everyTripId(context.app, colleague);
    expect(ids).toContain(theirs.tripId);
  });

  it('lets an administrator post for another user', async () => {
    const posted = await placeBooking(
      context.app,
      admin,
      bookingXml({ locator: 'ADM-1', from: 190, to: 191 }),
      { userid_type: 'login_id', userid_value: tenant.otherTraveller.loginId },
    );
    expect((await getTrip(context.app, colleague, posted.tripId)).statusCode).toBe(200);
    expectError(
      await postBooking(context.app, traveller, bookingXml({ locator: 'ADM-2', from: 1, to: 2 }), {
        userid_type: 'login_id',
        userid_value: tenant.otherTraveller.loginId,
      }),
      403,
    );
  });

  it('sets aside segments posted with a CancellationNumber', async () => {
    const xml = bookingXml({
      locator: 'SEGCAN',
      from: 210,
      to: 212,
      extra: '<CancellationNumber>C-1</CancellationNumber>',
    });
    const { doc } = await placeBooking(context.app, traveller, xml);
    expect(text(doc, 'Booking/RecordLocator')).toBe('SEGCAN');
    expect(text(doc, 'Booking/Segments/Car')).toBeUndefined();
    // Its only segment is cancelled, so the booking is, and so is the trip made from it.
    expect(text(doc, 'TripStatus')).toBe('2');
  });

  it('derives UTC from TimeZone, else the city code, else leaves it out', async () => {
    const zoned = await placeBooking(
      context.app,
      traveller,
      bookingXml({
        locator: 'TZ-1',
        from: 250,
        to: 251,
        city: 'ZZZ',
        extra: '<TimeZone>W. Europe Standard Time</TimeZone>',
      }),
    );
    // 2031-09-07 10:00 in Central European Summer Time.
    expect(text(zoned.doc, 'Booking/Segments/Car/StartDateUtc')).toBe('2031-09-07T08:00:00');
    const milan = await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'TZ-2', from: 260, to: 261, city: 'MIL' }),
    );
    expect(text(milan.doc, 'Booking/Segments/Car/StartDateUtc')).toBe('2031-09-17T08:00:00');
    const nowhere = await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'TZ-3', from: 270, to: 271, city: 'ZZZ' }),
    );
    expect(text(nowhere.doc, 'Booking/Segments/Car/StartDateLocal')).toBe(day2031(270));
    expect(text(nowhere.doc, 'Booking/Segments/Car/StartDateUtc')).toBeUndefined();
  });

  it('answers on the v1.0 path too', async () => {
    const response = await postBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'V10', from: 230, to: 231 }),
      {},
      '/api/travel/booking/v1.0',
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(parseXml(response.body).name).toBe('Itinerary');
  });
});
