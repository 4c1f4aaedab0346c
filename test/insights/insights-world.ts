/**
 * Requests and trips of the Insights v3 tests: the two GETs, the one-way trip of
 * test/fixtures/insights dated relative to today (so its opportunities are active), and the
 * swagger definitions the answers are checked against.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { AccessWorld } from '../helpers/access-world.js';
import { REPO_ROOT } from '../helpers/reference-files.js';
import { auth, dayAt, TRIP_NS } from '../helpers/trip-requests.js';

export const OPPORTUNITIES = '/api/v3.0/insights/opportunities';
export const LATEST = '/api/v3.0/insights/latestbookings';

type Query = Record<string, string>;

/** GET a path with a query (or a NextPage URI as given), JSON preferred. */
export function getInsights(
  app: FastifyInstance,
  token: string,
  url: string,
  query: Query = {},
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const params = new URLSearchParams(query).toString();
  const target = `${url.replace(/^https?:\/\/[^/]+/, '')}${params ? `?${params}` : ''}`;
  return app.inject({
    method: 'GET',
    url: target,
    headers: { ...auth(token), accept: 'application/json', ...headers },
  });
}

export interface OpportunityJson {
  ID: string;
  Type: string;
  TripId: string;
  IsActive: boolean;
  URI: string;
  StartCityCode?: string;
  EndCityCode?: string;
  StartDateLocal?: string;
  EndDateLocal?: string;
  StartPostalCode?: string;
  EndPostalCode?: string;
}

export interface OpportunitiesJson {
  Items: OpportunityJson[];
  NextPage?: string;
}

/** The opportunities answer, checked to be 200. */
export async function opportunities(
  app: FastifyInstance,
  token: string,
  query: Query | string,
): Promise<OpportunitiesJson> {
  const response =
    typeof query === 'string'
      ? await getInsights(app, token, query)
      : await getInsights(app, token, OPPORTUNITIES, query);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as OpportunitiesJson;
}

/** The JSON error's message, checked to have `status`. */
export function errorOf(response: LightMyRequestResponse, status: number): string {
  expect(response.statusCode, response.body).toBe(status);
  return (response.json() as { message: string }).message;
}

/**
 * The one-way trip fixture, `days` from today: Seattle to San Francisco (hotel with a postal
 * code, no car), then Los Angeles, no flight back: a Car, a Taxi and an Air opportunity.
 */
export function oneWayTripXml(world: AccessWorld, days: number, source = world.tmcSource): string {
  const fixture = fs.readFileSync(
    path.join(REPO_ROOT, 'test/fixtures/insights/one-way-trip.xml'),
    'utf8',
  );
  const dates: Record<string, string> = {
    '2030-03-02T09:00:00': dayAt(days, 9),
    '2030-03-02T11:05:00': `${dayAt(days, 11).slice(0, 14)}05:00`,
    '2030-03-02T15:00:00': dayAt(days, 15),
    '2030-03-04T11:00:00': dayAt(days + 2, 11),
    '2030-03-04T17:00:00': dayAt(days + 2, 17),
    '2030-03-04T18:30:00': `${dayAt(days + 2, 18).slice(0, 14)}30:00`,
  };
  let xml = fixture.replace('GAPS01', `G${randomUUID().slice(0, 7).toUpperCase()}`);
  xml = xml.replace(
    '<BookingSource>ExampleTMC</BookingSource>',
    `<BookingSource>${source}</BookingSource>`,
  );
  for (const [from, to] of Object.entries(dates)) xml = xml.replaceAll(from, to);
  expect(xml).toContain(TRIP_NS);
  return xml;
}

interface SwaggerProperty {
  type?: string;
  format?: string;
  $ref?: string;
}

/** A definition's properties in one of the Insights swagger files. */
export function swaggerDefinition(
  file: 'Opportunities.swagger2.json' | 'LatestBookings.swagger2.json',
  name: string,
): Record<string, SwaggerProperty> {
  const swagger = JSON.parse(
    fs.readFileSync(path.join(REPO_ROOT, 'reference/concur/modern', file), 'utf8'),
  ) as { definitions: Record<string, { properties: Record<string, SwaggerProperty> }> };
  const definition = swagger.definitions[name];
  if (!definition) throw new Error(`no definition ${name} in ${file}`);
  return definition.properties;
}

/** Checks that every field of `value` is a property of the definition, of its type. */
export function expectSwaggerShape(
  value: Record<string, unknown>,
  properties: Record<string, SwaggerProperty>,
): void {
  for (const [name, field] of Object.entries(value)) {
    const property = properties[name];
    expect(property, `${name} is not in the swagger definition`).toBeDefined();
    if (property?.type === 'string') {
      expect(typeof field, name).toBe('string');
      if (property.format === 'date-time') {
        expect(field, name).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
      }
    }
    if (property?.type === 'boolean') expect(typeof field, name).toBe('boolean');
    if (property?.type === 'integer') expect(Number.isInteger(field), name).toBe(true);
  }
}
