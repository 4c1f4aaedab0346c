/**
 * Trip v1.1 requests as a client makes them (create, update, details, list, cancel) and readers
 * of their answers, on the saxes-based tree of `xml-tree.ts`.
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

export function everyTripId(app: FastifyInstance, token: string, query: Query = {}) {
  return listedTripIds(app, token, {
    createdAfterDate: '2000-01-01',
    includeCanceledTrips: 'true',
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
