/**
 * Request wrappers and builders for the Booking v1.1 tests.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { auth, getTrip, queryString, XML_TYPE } from './trip-requests.js';
import { findAll, parseXml, text } from './xml-tree.js';

export const BOOKING_PATH = '/api/travel/booking/v1.1';

/** POST a booking. */
export function postBooking(
  app: FastifyInstance,
  token: string,
  xml: string,
  query: Record<string, string> = {},
  path = BOOKING_PATH,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: `${path}${queryString(query)}`,
    headers: { ...auth(token), 'content-type': XML_TYPE },
    payload: xml,
  });
}

/** POST a booking cancel. */
export function cancelBooking(
  app: FastifyInstance,
  token: string,
  query: Record<string, string>,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: `${BOOKING_PATH}/cancel${queryString(query)}`,
    headers: auth(token),
  });
}

/** Posts a booking, expects 200 and returns the holding trip's id and the parsed answer. */
export async function placeBooking(
  app: FastifyInstance,
  token: string,
  xml: string,
  query: Record<string, string> = {},
) {
  const response = await postBooking(app, token, xml, query);
  expect(response.statusCode, response.body).toBe(200);
  const doc = parseXml(response.body);
  return { tripId: text(doc, 'TripId') as string, doc, response };
}

/**
 * Record locators of the bookings of trip `tripId` as its details answer them (a booking POST
 * answers only the posted booking).
 */
export async function tripLocators(
  app: FastifyInstance,
  token: string,
  tripId: string,
): Promise<string[]> {
  const response = await getTrip(app, token, tripId);
  expect(response.statusCode, response.body).toBe(200);
  return locatorsOf(response.body);
}

/** Record locators of the bookings of a trip document. */
export function locatorsOf(body: string): string[] {
  return findAll(parseXml(body), 'Bookings/Booking').map((b) => text(b, 'RecordLocator') ?? '');
}

export interface BookingSpecInput {
  locator: string;
  source?: string;
  /** Day offsets in the year 2031 (1 = Jan 1st), so tests never depend on today. */
  from: number;
  to: number;
  type?: 'Car' | 'Hotel' | 'Air' | 'Rail';
  city?: string;
  /** Extra XML inside the segment. */
  extra?: string;
}

/** `2031-01-01T10:00:00` + `day` − 1 days, at `hour`. */
export function day2031(day: number, hour = 10): string {
  return new Date(Date.UTC(2031, 0, day, hour)).toISOString().slice(0, 19);
}

/** A `<Booking>` with one segment from `from` to `to` (days of 2031), without a namespace. */
export function bookingXml(spec: BookingSpecInput): string {
  const type = spec.type ?? 'Car';
  return (
    `<Booking><RecordLocator>${spec.locator}</RecordLocator>` +
    `<BookingSource>${spec.source ?? 'Alamo'}</BookingSource><Segments><${type}>` +
    `<StartCityCode>${spec.city ?? 'SEA'}</StartCityCode>` +
    `<StartDateLocal>${day2031(spec.from)}</StartDateLocal>` +
    `<EndDateLocal>${day2031(spec.to, 12)}</EndDateLocal>${spec.extra ?? ''}` +
    `</${type}></Segments></Booking>`
  );
}
