/**
 * Answers carry only elements the published XSD defines where they stand (COMPATIBILITY.md):
 * Itinera's answers to the reference samples are checked as a schema-validating client checks
 * them (`xsd-check.ts`). The documented extensions the XSD lacks (`ItinSourceName`,
 * `OriginalItinLocator`, `PassengerKey`, …) are still accepted and stored, only not answered.
 * The one documented exception is the booking POST answer's `<Booking>` directly under
 * `<Itinerary>`, the booking docs' sample shape, whose `<Booking>` is checked as BookingType.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readJson } from '../../src/db/database.js';
import type { XmlNode } from '../../src/xml/document.js';
import { useTestApp } from '../helpers/app-fixture.js';
import { cancelBooking, postBooking } from '../helpers/booking-requests.js';
import { sample } from '../helpers/reference-files.js';
import { type Tenant, type TestContext, tokenFor } from '../helpers/test-app.js';
import { cancelTrip, createTrip, getTrip } from '../helpers/trip-requests.js';
import { parseXml, text } from '../helpers/xml-tree.js';
import { xsdProblems } from '../helpers/xsd-check.js';

let context: TestContext;
let tenant: Tenant;
let token: string;
let admin: string;

useTestApp((given) => {
  ({ context, tenant, token } = given);
});
beforeAll(async () => {
  admin = await tokenFor(context, tenant, tenant.admin);
});

/** The stored documents of a trip's bookings, in order. */
async function storedBookings(tripId: string): Promise<XmlNode[]> {
  const rows = await context.database.db
    .selectFrom('bookings')
    .select('document')
    .where('trip_id', '=', tripId)
    .orderBy('position')
    .execute();
  return rows.map((row) => readJson<XmlNode>(row.document));
}

describe('the XSD check itself', () => {
  it("passes Concur's own TMC guide answers, which validate against the XSD", () => {
    expect(xsdProblems(sample('tmc-guide-post-trip-response.xml'))).toEqual([]);
    expect(xsdProblems(sample('tmc-guide-get-trip-details-response.xml'))).toEqual([]);
  });

  it('finds what the older samples carry beyond the XSD', () => {
    expect(xsdProblems(sample('post-trip-tmc-response.xml'))).toContain(
      '/Itinerary/ItinSourceName: not defined by the XSD in ItineraryType',
    );
    expect(xsdProblems(sample('get-trip-details-response.xml'))).toContain(
      '/Itinerary/Bookings/Booking/OriginalItinLocator: not defined by the XSD in BookingType',
    );
    expect(xsdProblems(sample('post-booking-response.xml'))).toEqual([
      '/Itinerary/ItinSourceName: not defined by the XSD in ItineraryType',
      '/Itinerary/Booking: not defined by the XSD in ItineraryType',
    ]);
    expect(xsdProblems('<Itinerary><TripStatus>HK</TripStatus></Itinerary>')).toEqual([
      "/Itinerary/TripStatus: 'HK' is not an xs:unsignedByte",
    ]);
  });
});

describe('answers validate against the published XSD', () => {
  it('POST and GET of the TMC guide trip: no ItinSourceName, which stays stored', async () => {
    const created = await createTrip(context.app, token, sample('tmc-guide-post-trip-request.xml'));
    expect(xsdProblems(created.response.body)).toEqual([]);
    expect(created.response.body).not.toContain('ItinSourceName');
    for (const reader of [token, admin]) {
      const details = await getTrip(context.app, reader, created.tripId);
      expect(details.statusCode, details.body).toBe(200);
      expect(xsdProblems(details.body)).toEqual([]);
    }
    const [stored] = await storedBookings(created.tripId);
    expect(stored?.ItinSourceName).toBe('API');
  });

  it('POST of the Trip reference sample (ItinSourceName on the trip and its bookings)', async () => {
    const created = await createTrip(context.app, token, sample('post-trip-tmc-request.xml'));
    expect(xsdProblems(created.response.body)).toEqual([]);
    const details = await getTrip(context.app, token, created.tripId);
    expect(xsdProblems(details.body)).toEqual([]);
    const cancelled = await cancelTrip(context.app, token, created.tripId);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(xsdProblems(cancelled.body)).toEqual([]);
  });

  it('booking POST of the TMC/third-party sample: only its <Booking> placement differs', async () => {
    const response = await postBooking(
      context.app,
      token,
      sample('post-booking-request-tmc-thirdparty-variant.xml'),
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(xsdProblems(response.body, { allow: ['Booking'] })).toEqual([]);
    expect(xsdProblems(response.body)).toEqual([
      '/Itinerary/Booking: not defined by the XSD in ItineraryType',
    ]);
    const tripId = text(parseXml(response.body), 'TripId') as string;
    // ItinSourceName and PassengerKey were accepted and stored, not answered.
    const [stored] = await storedBookings(tripId);
    expect(stored?.ItinSourceName).toBe('TravelSupplier');
    expect(JSON.stringify(stored?.Passengers)).toContain('PassengerKey');

    const cancelled = await cancelBooking(context.app, token, {
      bookingSource: 'Alamo',
      confirmationNumber: 'PANAMA50',
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(parseXml(cancelled.body).name).toBe('Booking');
    expect(xsdProblems(cancelled.body)).toEqual([]);
  });
});
