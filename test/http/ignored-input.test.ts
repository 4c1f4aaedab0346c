/**
 * The `Itinera-Ignored` header (issue 12 item 9): the itinerary endpoints name the query
 * parameters they do not read and the XML elements the XSD does not define, on success and
 * error answers alike; names only, capped, header-safe; no header when nothing was ignored.
 */
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app-fixture.js';
import { bookingXml, postBooking } from '../helpers/booking-requests.js';
import { sample } from '../helpers/reference-files.js';
import type { TestContext } from '../helpers/test-app.js';
import {
  auth,
  createTrip,
  dayAt,
  getTrip,
  listTrips,
  postTrip,
  simpleTrip,
  TRIP_NS,
  TRIP_PATH,
  tripXml,
} from '../helpers/trip-requests.js';

const HEADER = 'itinera-ignored';
let context: TestContext;
let token: string;
let tripId: string;

useTestApp(async (given) => {
  ({ context, token } = given);
  ({ tripId } = await createTrip(context.app, token, simpleTrip('Ignored', 5, 6)));
});

/** A trip whose Car segment carries `extra`, in two bookings when `twice`. */
function tripWith(extra: string, twice = false): string {
  const booking = (locator: string) => ({
    locator,
    segments: [{ type: 'Car' as const, start: dayAt(3), end: dayAt(4), extra }],
  });
  return tripXml({
    name: 'Extras',
    bookings: twice ? [booking('IGN1'), booking('IGN2')] : [booking('IGN3')],
  });
}

describe('ignored query parameters', () => {
  it('names a mistyped list filter, never its value, and still answers the list', async () => {
    const response = await listTrips(context.app, token, {
      missingBookingType: 'SecretValue42',
      ItemsPerPage: '5',
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers[HEADER]).toBe('query=missingBookingType');
    expect(JSON.stringify(response.headers)).not.toContain('SecretValue42');
  });

  it('sends no header when every parameter is read, in any of its spellings', async () => {
    const list = await listTrips(context.app, token, {
      tripid: tripId,
      ITEMSPERPAGE: '5',
      includeCanceledTrips: 'true',
    });
    expect(list.statusCode).toBe(200);
    expect(list.headers[HEADER]).toBeUndefined();
    const details = await getTrip(context.app, token, tripId, { systemFormat: 'Tripit' });
    expect(details.statusCode).toBe(200);
    expect(details.headers[HEADER]).toBeUndefined();
  });

  it('names unknown GetTrips body keys and query parameters together', async () => {
    const response = await context.app.inject({
      method: 'POST',
      url: `${TRIP_PATH}/GetTrips?Sortorder=asc`,
      headers: { ...auth(token), 'content-type': 'application/json' },
      payload: { itemsPerPage: 5, bookingTyp: 'Air' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers[HEADER]).toBe('query=Sortorder,bookingTyp');
  });

  it('names them on error answers too: 400, 401 and UpdateCoupon, which reads none', async () => {
    const bad = await listTrips(context.app, token, { page: '0', pageSize: '9' });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers[HEADER]).toBe('query=pageSize');
    const anonymous = await context.app.inject({ method: 'GET', url: `${TRIP_PATH}?filter=x` });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers[HEADER]).toBe('query=filter');
    const coupon = await context.app.inject({
      method: 'POST',
      url: '/api/travel/booking/v1.1/UpdateCoupon?userid_type=login',
      headers: { ...auth(token), 'content-type': 'application/xml' },
      payload: '',
    });
    expect(coupon.statusCode).toBe(400);
    expect(coupon.headers[HEADER]).toBe('query=userid_type');
  });

  it('names them on the v1.0 list (doubled ? read as &) and the booking cancel', async () => {
    const v10 = await context.app.inject({
      method: 'GET',
      url: '/api/travel/trip/v1.0/?startDate=2024-01-01?statusFilter=open',
      headers: auth(token),
    });
    expect(v10.statusCode, v10.body).toBe(200);
    expect(v10.headers[HEADER]).toBe('query=statusFilter');
    const cancel = await context.app.inject({
      method: 'POST',
      url: '/api/travel/booking/v1.0/cancel?bookingSource=X&confirmationNumber=Y&reason=z',
      headers: auth(token),
    });
    expect(cancel.statusCode).toBe(404);
    expect(cancel.headers[HEADER]).toBe('query=reason');
  });

  it('caps the header at 1 KiB with a count of the rest, and encodes unsafe names', async () => {
    const query: Record<string, string> = {};
    for (let i = 0; i < 120; i++) query[`unknownParameterNumber${i}`] = 'v';
    const response = await listTrips(context.app, token, query);
    const value = String(response.headers[HEADER]);
    expect(value.length).toBeLessThanOrEqual(1024);
    expect(value.startsWith('query=unknownParameterNumber0,unknownParameterNumber1,')).toBe(true);
    const listed = value.split(',').length - 1;
    expect(value.endsWith(`,...(${120 - listed} more)`)).toBe(true);

    const odd = await listTrips(context.app, token, { 'a b;c=d,"é"': 'v' });
    expect(odd.headers[HEADER]).toBe('query=a%20b%3Bc%3Dd%2C%22%C3%A9%22');
  });
});

describe('ignored XML elements', () => {
  it('names an undefined element of a trip POST once, without positions', async () => {
    const response = await postTrip(
      context.app,
      token,
      tripWith('<Bogus>SecretValue42</Bogus><Vendor>ZI</Vendor>', true),
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers[HEADER]).toBe('elements=Bookings/Booking/Segments/Car/Bogus');
    expect(JSON.stringify(response.headers)).not.toContain('SecretValue42');
  });

  it('does not name foreign-namespace extensions, xs:any content or nil elements', async () => {
    const extras =
      '<x:Note xmlns:x="urn:example:extension">kept apart</x:Note>' +
      '<Vendor xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/>';
    const xml = tripWith(extras).replace(
      '</RecordLocator>',
      '</RecordLocator><Warnings><Warning>anything</Warning></Warnings>',
    );
    const response = await postTrip(context.app, token, xml);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers[HEADER]).toBeUndefined();
  });

  it('names an undefined element of a booking POST, below the Booking root', async () => {
    const xml = bookingXml({ locator: 'IGNB1', from: 3, to: 4, extra: '<Colour>red</Colour>' });
    const response = await postBooking(
      context.app,
      token,
      xml.replace('<Booking>', `<Booking><Pnr>x</Pnr>`),
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers[HEADER]).toBe('elements=Pnr,Segments/Car/Colour');
  });

  it('names elements and parameters on an error answer after the body was read', async () => {
    const response = await postTrip(context.app, token, tripWith('<Bogus>1</Bogus>'), {
      tripId: 'no-such-trip',
      mode: 'merge',
    });
    expect(response.statusCode).toBe(404);
    expect(response.headers[HEADER]).toBe(
      'query=mode; elements=Bookings/Booking/Segments/Car/Bogus',
    );
  });

  it('names undefined items of a list wrapper', async () => {
    const xml = tripXml({ name: 'Items', bookings: [{ locator: 'IGN4' }] }).replace(
      '</Bookings>',
      '<Reservation/></Bookings>',
    );
    const response = await postTrip(context.app, token, xml);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers[HEADER]).toBe('elements=Bookings/Reservation');
    expect(xml).toContain(TRIP_NS);
  });

  it("names the response-only and undocumented elements of the TMC guide's request", async () => {
    const response = await postTrip(context.app, token, sample('tmc-guide-post-trip-request.xml'));
    expect(response.statusCode, response.body).toBe(200);
    const elements = String(response.headers[HEADER])
      .replace(/^elements=/, '')
      .split(',');
    expect(elements).toEqual(
      expect.arrayContaining(['IsDemoTrip', 'Bookings/Booking/Segments/Air/FareBasisCode']),
    );
    expect(new Set(elements).size).toBe(elements.length);
  });
});
