/**
 * The itinerary routes' parameters as their schemas read them, where the answer depends on more
 * than one parameter's own check: which of two bad parameters answers first (the user selector's
 * 403/404 before the list's flags, an inverted window before the parameters after it, the empty
 * trip body before tripId, bookingSource before confirmationNumber), blank values refused, the
 * value quoted in a message, and the bodies GetTrips refuses.
 */
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app-fixture.js';
import { seedTenant, type TestContext, tokenFor } from '../helpers/test-app.js';
import {
  auth,
  createTrip,
  expectError,
  getTrip,
  listTrips,
  postTrip,
  simpleTrip,
  TRIP_PATH,
  XML_TYPE,
} from '../helpers/trip-requests.js';

let context: TestContext;
let token: string;
let adminToken: string;
let foreignLogin: string;
let tripId: string;

useTestApp(async (given) => {
  ({ context, token } = given);
  adminToken = await tokenFor(context, given.tenant, given.tenant.admin);
  foreignLogin = (await seedTenant(context)).traveller.loginId;
  ({ tripId } = await createTrip(context.app, token, simpleTrip('Parameters', 5, 6)));
});

const message = (response: Awaited<ReturnType<typeof listTrips>>, status: number) =>
  expectError(response, status).message;

describe('the trip list', () => {
  it('answers who may be listed before any other parameter', async () => {
    const bad = { includeCanceledTrips: 'yes', startDate: 'x', Page: '0' };
    const traveller = await listTrips(context.app, token, {
      userid_type: 'login',
      userid_value: 'ALL',
      ...bad,
    });
    expect(message(traveller, 403)).toMatch(/administrator/);
    const unknown = await listTrips(context.app, adminToken, {
      userid_type: 'login',
      userid_value: foreignLogin,
      ...bad,
    });
    expect(message(unknown, 404)).toContain(foreignLogin);
    const type = await listTrips(context.app, adminToken, { userid_type: 'email', ...bad });
    expect(message(type, 400)).toMatch(/^userid_type must be/);
  });

  it('refuses an inverted window after the dates and before the parameters after them', async () => {
    const inverted = { startDate: '2025-02-01', endDate: '2025-01-01' };
    expect(message(await listTrips(context.app, token, inverted), 400)).toBe(
      'startDate must not be after endDate.',
    );
    const laterParameters: Record<string, string>[] = [
      { createdAfterDate: 'bad' },
      { bookingType: 'Boat' },
      { includeMetadata: 'x' },
      { ItemsPerPage: '0' },
    ];
    for (const later of laterParameters) {
      const response = await listTrips(context.app, token, { ...later, ...inverted });
      expect(message(response, 400), JSON.stringify(later)).toBe(
        'startDate must not be after endDate.',
      );
    }
    const earlier = await listTrips(context.app, token, { ...inverted, includeVirtualTrip: 'x' });
    expect(message(earlier, 400)).toBe("includeVirtualTrip must be true or false (got 'x').");
    // The same day as a date-only end is not inverted; a client cannot send the mark itself.
    const sameDay = { startDate: '2025-01-01T10:00', endDate: '2025-01-01' };
    expect((await listTrips(context.app, token, sameDay)).statusCode).toBe(200);
    const mark = await listTrips(context.app, token, { 'startDate>endDate': 'x' });
    expect(mark.statusCode, mark.body).toBe(200);
  });

  it('refuses blank flags, page numbers and bookingType, quoting them as sent', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ includeCanceledTrips: '  ' }, "includeCanceledTrips must be true or false (got '  ')."],
      [{ Page: ' ' }, "Page must be a whole number from 1 to 1000000 (got ' ')."],
      [{ ItemsPerPage: '\t' }, "ItemsPerPage must be a whole number from 1 to 1000 (got '\t')."],
      [
        { bookingType: ' ' },
        "bookingType must be one of Air, Car, Dining, Hotel, Parking, Rail, Ride, Event, Travel (got ' ').",
      ],
    ];
    for (const [query, expected] of cases) {
      expect(message(await listTrips(context.app, token, query), 400)).toBe(expected);
    }
    // Empty is absent; surrounding spaces are trimmed.
    const trimmed = await listTrips(context.app, token, {
      includeCanceledTrips: '',
      bookingType: ' car ',
      Page: ' 1 ',
      includeMetadata: ' TRUE ',
    });
    expect(trimmed.statusCode, trimmed.body).toBe(200);
    expect(trimmed.body).toContain(tripId);
  });

  it('refuses a GetTrips body with an XML content type (415), answering the query alone without one', async () => {
    const request = (payload?: string) =>
      context.app.inject({
        method: 'POST',
        url: `${TRIP_PATH}/GetTrips?bookingType=Car`,
        headers: { ...auth(token), 'content-type': XML_TYPE, accept: 'application/json' },
        ...(payload === undefined ? {} : { payload }),
      });
    // The client asked for JSON: the 415 is answered as JSON too (COMPATIBILITY.md "JSON errors").
    const refused = await request('<GetTrips><bookingType>Boat</bookingType></GetTrips>');
    expect(refused.statusCode, refused.body).toBe(415);
    expect(refused.json()).toMatchObject({ error: 'unsupported_media_type' });
    const response = await request();
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json().map((item: { TripId: string }) => item.TripId)).toEqual([tripId]);
  });
});

describe('trip details, create and cancel', () => {
  it('answers a NUL in the trip id with 404 before systemFormat, and quotes systemFormat trimmed', async () => {
    const nul = await context.app.inject({
      method: 'GET',
      url: `${TRIP_PATH}/a%00b?systemFormat=bad`,
      headers: auth(token),
    });
    expectError(nul, 404);
    const bad = await getTrip(context.app, token, tripId, { systemFormat: ' bad ' });
    expect(message(bad, 400)).toBe("systemFormat must be Tripit when sent (got 'bad').");
    const blank = await getTrip(context.app, token, tripId, { systemFormat: ' ' });
    expect(blank.statusCode).toBe(200);
  });

  it('refuses an empty trip body before an empty tripId', async () => {
    const empty = await context.app.inject({
      method: 'POST',
      url: `${TRIP_PATH}?tripId=%20`,
      headers: auth(token),
    });
    expect(message(empty, 400)).toBe('The request body is empty; expected <Itinerary>.');
    const blankId = await postTrip(context.app, token, simpleTrip('Again', 5, 6), { tripId: ' ' });
    expect(message(blankId, 400)).toBe('tripId must not be empty.');
  });

  it('tells a missing tripId from an empty one when cancelling', async () => {
    const cancel = (query: string) =>
      context.app.inject({
        method: 'POST',
        url: `${TRIP_PATH}/cancel${query}`,
        headers: auth(token),
      });
    expect(message(await cancel(''), 400)).toBe('tripId is required to cancel a trip.');
    expect(message(await cancel('?TripId=%20'), 400)).toBe('tripId must not be empty.');
  });
});

describe('booking cancel', () => {
  it('names bookingSource first, blank or missing, then confirmationNumber', async () => {
    const cancel = (query: string) =>
      context.app.inject({
        method: 'POST',
        url: `/api/travel/booking/v1.1/cancel${query}`,
        headers: auth(token),
      });
    const source = 'bookingSource is required to cancel a booking.';
    const number = 'confirmationNumber is required to cancel a booking.';
    expect(message(await cancel(''), 400)).toBe(source);
    expect(message(await cancel('?bookingSource=%20'), 400)).toBe(source);
    expect(message(await cancel('?confirmationNumber=%20'), 400)).toBe(source);
    expect(message(await cancel('?bookingSource=x'), 400)).toBe(number);
    expect(message(await cancel('?bookingSource=x&confirmationNumber=%20'), 400)).toBe(number);
  });
});
