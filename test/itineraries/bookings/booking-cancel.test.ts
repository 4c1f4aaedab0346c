/**
 * POST /api/travel/booking/v1.1/cancel (SPEC §2.7): by BookingSource and confirmation number,
 * 404 with Status NotFound, only the owning source for suppliers, the trip cancelled with its
 * last live booking, and a re-post bringing the booking back.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type AccessWorld, seedAccessWorld, userToken } from '../../helpers/access-world.js';
import { useTestContext } from '../../helpers/app-fixture.js';
import {
  bookingXml,
  cancelBooking,
  day2031,
  locatorsOf,
  placeBooking,
  postBooking,
} from '../../helpers/booking-requests.js';
import type { TestContext } from '../../helpers/test-app.js';
import { createTrip, expectError, getTrip, tripXml } from '../../helpers/trip-requests.js';
import { findAll, parseXml, text } from '../../helpers/xml-tree.js';

let context: TestContext;
let world: AccessWorld;
let traveller: string;
let supplier: string;

useTestContext((given) => {
  context = given;
});
beforeAll(async () => {
  world = await seedAccessWorld(context);
  traveller = await userToken(context, world.apps.tmc, world.home.traveller);
  supplier = await userToken(context, world.apps.supplier, world.home.traveller);
});

describe('cancelling a booking', () => {
  it('cancels by record locator, answers the booking with its cancelled segments', async () => {
    const first = await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'CAN-1', from: 10, to: 12, source: 'Alamo' }),
    );
    await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'CAN-2', from: 11, to: 13, source: 'Hertz', type: 'Hotel' }),
    );
    const response = await cancelBooking(context.app, traveller, {
      bookingSource: 'Alamo',
      confirmationNumber: 'CAN-1',
    });
    expect(response.statusCode, response.body).toBe(200);
    const doc = parseXml(response.body);
    expect(doc.name).toBe('Booking');
    // No namespace, as the TripLink cancel sample's root: the XSD has no target namespace, so a
    // client generated from it reads only elements in no namespace.
    expect(doc.uri).toBe('');
    expect(response.body).not.toContain('xmlns');
    expect(text(doc, 'RecordLocator')).toBe('CAN-1');
    expect(text(doc, 'Segments/Car/DateCancelledUtc')).toMatch(/^\d{4}-\d\d-\d\dT/);
    // The trip lives on with the other booking; the cancelled one has no segments left.
    const trip = await getTrip(context.app, traveller, first.tripId);
    const tripDoc = parseXml(trip.body);
    expect(text(tripDoc, 'TripStatus')).toBe('0');
    expect(locatorsOf(trip.body)).toEqual(['CAN-1', 'CAN-2']);
    const [cancelled] = findAll(tripDoc, 'Bookings/Booking');
    expect(findAll(cancelled!, 'Segments/Car')).toEqual([]);
    expect(text(tripDoc, 'StartDateLocal')).toMatch(/^2031-01-11T/);
  });

  it('finds a booking by a segment confirmation number, and cancels the trip with it', async () => {
    const { tripId } = await placeBooking(
      context.app,
      traveller,
      bookingXml({
        locator: 'LOC-9',
        from: 40,
        to: 41,
        extra: '<ConfirmationNumber>CONF-9</ConfirmationNumber>',
      }),
    );
    const response = await cancelBooking(context.app, traveller, {
      bookingSource: 'Alamo',
      confirmationNumber: 'CONF-9',
    });
    expect(response.statusCode, response.body).toBe(200);
    const trip = parseXml((await getTrip(context.app, traveller, tripId)).body);
    expect(text(trip, 'TripStatus')).toBe('2');
  });

  it('answers 404 with Status NotFound for an unknown booking', async () => {
    const response = await cancelBooking(context.app, traveller, {
      bookingSource: 'Alamo',
      confirmationNumber: 'NO-SUCH',
    });
    expectError(response, 404);
    expect(text(parseXml(response.body), 'Status')).toBe('NotFound');
  });

  it('requires both parameters', async () => {
    expectError(
      await cancelBooking(context.app, traveller, { bookingSource: 'Alamo' }),
      400,
      /confirmationNumber/,
    );
    expectError(
      await cancelBooking(context.app, traveller, { confirmationNumber: 'X' }),
      400,
      /bookingSource/,
    );
  });

  it('lets a supplier cancel only its own source', async () => {
    await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'TMC-7', from: 60, to: 61, source: 'GDS7' }),
    );
    expectError(
      await cancelBooking(context.app, supplier, {
        bookingSource: 'GDS7',
        confirmationNumber: 'TMC-7',
      }),
      403,
    );
    const own = bookingXml({
      locator: 'SUP-7',
      from: 62,
      to: 63,
      source: world.supplierSource,
      type: 'Hotel',
    });
    await placeBooking(context.app, supplier, own);
    const response = await cancelBooking(context.app, supplier, {
      bookingSource: world.supplierSource,
      confirmationNumber: 'SUP-7',
    });
    expect(response.statusCode, response.body).toBe(200);
  });

  it('restores a cancelled booking when it is posted again', async () => {
    const xml = bookingXml({ locator: 'BACK-1', from: 80, to: 82 });
    const { tripId } = await placeBooking(context.app, traveller, xml);
    await cancelBooking(context.app, traveller, {
      bookingSource: 'Alamo',
      confirmationNumber: 'BACK-1',
    });
    expect(text(parseXml((await getTrip(context.app, traveller, tripId)).body), 'TripStatus')).toBe(
      '2',
    );
    const again = await placeBooking(context.app, traveller, xml);
    expect(again.tripId).toBe(tripId);
    expect(text(again.doc, 'TripStatus')).toBe('0');
    expect(text(again.doc, 'Booking/Segments/Car/StartDateLocal')).toBe('2031-03-21T10:00:00');
  });
});

describe('who may post which booking', () => {
  it('holds a supplier to its source and travel types, and a partner to reading', async () => {
    const foreignSource = bookingXml({ locator: 'W-1', from: 300, to: 301, source: 'Alamo' });
    expectError(
      await postBooking(context.app, supplier, foreignSource),
      403,
      /may post only under/,
    );
    const car = bookingXml({ locator: 'W-2', from: 300, to: 301, source: world.supplierSource });
    expectError(await postBooking(context.app, supplier, car), 403, /Car segment/);
    const partner = await userToken(context, world.apps.partner, world.home.traveller);
    const hotel = bookingXml({ locator: 'W-3', from: 300, to: 301, type: 'Hotel' });
    expectError(await postBooking(context.app, partner, hotel), 403, /may read trips/);
    expectError(
      await cancelBooking(context.app, partner, {
        bookingSource: 'Alamo',
        confirmationNumber: 'CAN-2',
      }),
      403,
    );
  });
});

describe('a posted trip whose bookings are all cancelled', () => {
  it('is cancelled, and comes back when one of them is posted again', async () => {
    const posted = await createTrip(
      context.app,
      traveller,
      tripXml({
        name: 'Posted',
        bookings: [
          {
            source: 'Alamo',
            locator: 'PC-1',
            segments: [{ start: day2031(330), end: day2031(331) }],
          },
        ],
      }),
    );
    await cancelBooking(context.app, traveller, {
      bookingSource: 'Alamo',
      confirmationNumber: 'PC-1',
    });
    const cancelled = parseXml((await getTrip(context.app, traveller, posted.tripId)).body);
    expect(text(cancelled, 'TripStatus')).toBe('2');
    const back = await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'PC-1', source: 'Alamo', from: 330, to: 331 }),
    );
    expect(back.tripId).toBe(posted.tripId);
    expect(text(back.doc, 'TripStatus')).toBe('0');
    expect(text(back.doc, 'TripName')).toBe('Posted');
  });
});
