/**
 * Trip v1.1 requests as a client makes them (create, update, details, list, cancel), readers
 * of their answers (on the saxes-based tree of `xml-tree.ts`), and builders of the Itinerary
 * documents they post, dated relative to the day the test file started.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { children, findAll, parseXml, text, type XmlElement } from './xml-tree.js';

export const TRIP_PATH = '/api/travel/trip/v1.1';
export const TRIP_NS = 'http://www.concursolutions.com/api/travel/trip/2010/06';
export const XML_TYPE = 'application/xml';

type Query = Record<string, string>;

/** `?a=b&…` (URLSearchParams encoding: `/` becomes `%2F`), or '' for no parameters. */
export function queryString(query: Query = {}): string {
  const text = new URLSearchParams(query).toString();
  return text ? `?${text}` : '';
}

/** The Authorization header of a token. */
export function auth(token: string, scheme = 'Bearer'): Record<string, string> {
  return { authorization: `${scheme} ${token}` };
}

/** POST a trip (create, or update when `query` has tripId). */
export function postTrip(
  app: FastifyInstance,
  token: string,
  xml: string,
  query: Query = {},
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: `${TRIP_PATH}${queryString(query)}`,
    headers: { ...auth(token), 'content-type': XML_TYPE, ...headers },
    payload: xml,
  });
}

/** GET a trip's details. */
export function getTrip(
  app: FastifyInstance,
  token: string,
  tripId: string,
  query: Query = {},
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'GET',
    url: `${TRIP_PATH}/${encodeURIComponent(tripId)}${queryString(query)}`,
    headers: { ...auth(token), ...headers },
  });
}

/** GET the trip list. */
export function listTrips(
  app: FastifyInstance,
  token: string,
  query: Query = {},
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'GET',
    url: `${TRIP_PATH}${queryString(query)}`,
    headers: { ...auth(token), ...headers },
  });
}

/** POST a trip cancel. */
export function cancelTrip(
  app: FastifyInstance,
  token: string,
  tripId: string,
  query: Query = {},
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: `${TRIP_PATH}/cancel${queryString({ tripId, ...query })}`,
    headers: { ...auth(token), ...headers },
  });
}

/** Creates a trip and returns its id and the parsed response; fails the test on non-200. */
export async function createTrip(
  app: FastifyInstance,
  token: string,
  xml: string,
  query: Query = {},
): Promise<{ tripId: string; doc: XmlElement; response: LightMyRequestResponse }> {
  const response = await postTrip(app, token, xml, query);
  expect(response.statusCode, response.body).toBe(200);
  const doc = parseXml(response.body);
  const tripId = text(doc, 'TripId');
  expect(tripId).toBeTruthy();
  return { tripId: tripId as string, doc, response };
}

/**
 * Trip ids a list request returns, in order. The default window is lifted by `createdAfterDate`,
 * so `everyTripId` sees every trip of the user, cancelled ones included.
 */
export async function listedTripIds(
  app: FastifyInstance,
  token: string,
  query: Query = {},
): Promise<string[]> {
  const response = await listTrips(app, token, query);
  expect(response.statusCode, response.body).toBe(200);
  return infos(parseXml(response.body)).map((info) => text(info, 'TripId') ?? '');
}

/** Every trip id of the user, cancelled ones, old ones and guest trips included. */
export function everyTripId(app: FastifyInstance, token: string, query: Query = {}) {
  return listedTripIds(app, token, {
    createdAfterDate: '2000-01-01',
    includeCanceledTrips: 'true',
    includeGuestBookings: 'true',
    ...query,
  });
}

// ---------------------------------------------------------------------------------------------
// Reading answers

/** The `ItineraryInfo` items of a plain list or of a paged `ConnectResponse`. */
export function infos(doc: XmlElement): XmlElement[] {
  if (doc.name === 'ConnectResponse') return findAll(doc, 'Data/ItineraryInfoList/ItineraryInfo');
  expect(doc.name).toBe('ItineraryInfoList');
  return children(doc, 'ItineraryInfo');
}

/** Asserts a Concur `<Error>` body with Message, Server-Time and Id; returns them. */
export function expectError(
  response: LightMyRequestResponse,
  status: number,
  messagePattern?: RegExp,
): { message: string; serverTime: string; id: string } {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/xml/);
  const doc = parseXml(response.body);
  expect(doc.name).toBe('Error');
  const message = text(doc, 'Message') ?? '';
  const serverTime = text(doc, 'Server-Time') ?? '';
  const id = text(doc, 'Id') ?? '';
  expect(message.length).toBeGreaterThan(0);
  expect(serverTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
  expect(id.length).toBeGreaterThan(0);
  if (messagePattern) expect(message).toMatch(messagePattern);
  return { message, serverTime, id };
}

// ---------------------------------------------------------------------------------------------
// Building trips

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Midnight UTC of the day this test file started, as epoch ms. Fixed once, so that trips posted
 * in `beforeAll` and the queries of later tests agree even if a run crosses midnight; the
 * server's own default window has days of margin in every test that relies on it.
 */
const TODAY = (() => {
  const d = new Date();
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
})();

/** `YYYY-MM-DDThh:00:00` for today + `days`, at `hour`. */
export function dayAt(days: number, hour = 12): string {
  return new Date(TODAY + days * DAY_MS + hour * 3600_000).toISOString().slice(0, 19);
}

/** `YYYY-MM-DD` (or with another separator) for today + `days`. */
export function dateOnly(days: number, separator = '-'): string {
  return new Date(TODAY + days * DAY_MS).toISOString().slice(0, 10).replaceAll('-', separator);
}

export interface SegmentSpec {
  type?: 'Air' | 'Car' | 'Hotel' | 'Rail' | 'Dining' | 'Parking' | 'Ride';
  start: string;
  end?: string;
  /** Extra XML inside the segment. */
  extra?: string;
}

export interface BookingSpec {
  source?: string;
  locator: string;
  segments?: SegmentSpec[];
  extra?: string;
}

export interface TripSpec {
  name?: string;
  bookings?: BookingSpec[];
  /** Extra XML inside `<Itinerary>`. */
  extra?: string;
  /** Default true: the trip namespace on the root. */
  namespaced?: boolean;
}

/** An Itinerary document; segments carry no city code, so local times stand for UTC. */
export function tripXml(spec: TripSpec = {}): string {
  const bookings = (spec.bookings ?? [])
    .map((b) => {
      const segments = (b.segments ?? [])
        .map((s) => {
          const type = s.type ?? 'Car';
          const end = s.end ? `<EndDateLocal>${s.end}</EndDateLocal>` : '';
          return `<${type}><StartDateLocal>${s.start}</StartDateLocal>${end}${s.extra ?? ''}</${type}>`;
        })
        .join('');
      return (
        `<Booking><RecordLocator>${b.locator}</RecordLocator>` +
        `<BookingSource>${b.source ?? 'TestTMC'}</BookingSource>` +
        `${segments ? `<Segments>${segments}</Segments>` : ''}${b.extra ?? ''}</Booking>`
      );
    })
    .join('');
  const ns = spec.namespaced === false ? '' : ` xmlns="${TRIP_NS}"`;
  return (
    `<?xml version="1.0" encoding="utf-8"?><Itinerary${ns}>` +
    `<TripName>${spec.name ?? 'Test trip'}</TripName>${spec.extra ?? ''}` +
    `${bookings ? `<Bookings>${bookings}</Bookings>` : ''}</Itinerary>`
  );
}

let locatorSequence = 0;

/**
 * A one-booking, one-segment trip from `fromDay` to `toDay` (days relative to today). The record
 * locator is new on every call unless given, so that list assertions can tell trips apart.
 */
export function simpleTrip(
  name: string,
  fromDay: number,
  toDay: number,
  type: SegmentSpec['type'] = 'Car',
  locator = `SIMPLE${++locatorSequence}`,
): string {
  return tripXml({
    name,
    bookings: [{ locator, segments: [{ type, start: dayAt(fromDay), end: dayAt(toDay) }] }],
  });
}
