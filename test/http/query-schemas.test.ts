/**
 * The shared route-schema pieces on a small app of their own: Concur query names read in any
 * case, the strict conversion of flags, numbers, names and dates, the query and JSON body of a
 * GetTrips-like POST, and schema failures answered with each parameter's own message in the
 * route's error format.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandlers } from '../../src/http/error-handler.js';
import { concurQuery, concurQueryAndBody } from '../../src/http/query-parameters.js';
import {
  compileQueryConverter,
  QueryBoolean,
  QueryDate,
  QueryEnum,
  QueryInteger,
  QueryText,
} from '../../src/http/query-schema.js';
import '../../src/http/route-config.js';
import { AJV_OPTIONS } from '../../src/http/schema-validation.js';
import { parseXml, text } from '../helpers/xml-tree.js';

const ListQuery = Type.Object({
  userid_type: Type.Optional(Type.String()),
  includecanceledtrips: Type.Optional(
    QueryBoolean({
      trim: true,
      digits: true,
      invalid: "includeCanceledTrips must be true or false (got '{value}').",
    }),
  ),
  startdate: Type.Optional(
    QueryDate({ invalid: "startDate must be a date as YYYY-MM-DD or YYYY/MM/DD (got '{value}')." }),
  ),
  bookingtype: Type.Optional(
    QueryEnum(['Air', 'Car'], { invalid: "bookingType must be one of Air, Car (got '{value}')." }),
  ),
  itemsperpage: Type.Optional(
    QueryInteger({
      minimum: 1,
      maximum: 1000,
      trim: true,
      invalid: "ItemsPerPage must be a whole number from 1 to 1000 (got '{value}').",
    }),
  ),
});

const CancelQuery = Type.Object({
  tripid: QueryText({
    trim: true,
    minLength: 1,
    missing: 'tripId is required to cancel a trip.',
    invalid: 'tripId must not be empty.',
  }),
});

let app: FastifyInstance;

beforeAll(async () => {
  app = Fastify({ ajv: AJV_OPTIONS });
  registerErrorHandlers(app, 1024);
  const routes = app.withTypeProvider<TypeBoxTypeProvider>();
  routes.get(
    '/list',
    { schema: { querystring: ListQuery }, preValidation: concurQuery(ListQuery) },
    async (request) => ({ query: request.query, original: request.sentParameters?.original }),
  );
  routes.post(
    '/GetTrips',
    {
      schema: { body: ListQuery },
      preValidation: concurQueryAndBody(ListQuery, 'The body must be a JSON object.'),
    },
    async (request) => ({ query: request.body, original: request.sentParameters?.original }),
  );
  routes.post(
    '/cancel',
    {
      config: { errorFormat: 'json' },
      schema: { querystring: CancelQuery },
      preValidation: concurQuery(CancelQuery),
    },
    async (request) => ({ tripId: request.query.tripid }),
  );
  await app.ready();
});
afterAll(() => app.close());

const get = (query: string) => app.inject({ method: 'GET', url: `/list${query}` });

function xmlMessage(body: string): string {
  return text(parseXml(body), 'Message') ?? '';
}

describe('concurQuery', () => {
  it('reads names in any case, the last value of a repeated one, and keeps the sent query', async () => {
    const response = await get(
      '?IncludeCanceledTrips=%201%20&ItemsPerPage=5&itemsperpage=7&BookingType=air&Extra=x',
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      query: { includecanceledtrips: true, itemsperpage: 7, bookingtype: 'Air', extra: 'x' },
      original: {
        IncludeCanceledTrips: ' 1 ',
        ItemsPerPage: '5',
        itemsperpage: '7',
        BookingType: 'air',
        Extra: 'x',
      },
    });
  });

  it('reads dates with dashes or slashes, with or without a time', async () => {
    expect((await get('?startDate=2024-03-01')).json().query.startdate).toEqual({
      ms: Date.UTC(2024, 2, 1),
      hasTime: false,
    });
    expect((await get('?startdate=2024/03/01T10:30')).json().query.startdate).toEqual({
      ms: Date.UTC(2024, 2, 1, 10, 30),
      hasTime: true,
    });
  });

  it('takes an empty flag, number, name or date as not sent', async () => {
    const response = await get('?includeCanceledTrips=&startDate=&bookingType=&itemsPerPage=');
    expect(response.json().query).toEqual({});
  });

  it("answers a value that does not read with the parameter's own message, as XML", async () => {
    const cases: [string, string][] = [
      ['?includeCanceledTrips=yes', "includeCanceledTrips must be true or false (got 'yes')."],
      [
        '?startDate=2024-02-30',
        "startDate must be a date as YYYY-MM-DD or YYYY/MM/DD (got '2024-02-30').",
      ],
      ['?bookingType=Boat', "bookingType must be one of Air, Car (got 'Boat')."],
      ['?ItemsPerPage=1e2', "ItemsPerPage must be a whole number from 1 to 1000 (got '1e2')."],
      ['?ItemsPerPage=01001', "ItemsPerPage must be a whole number from 1 to 1000 (got '01001')."],
      // Checked in the order the schema declares them.
      [
        '?itemsperpage=0&includecanceledtrips=2',
        "includeCanceledTrips must be true or false (got '2').",
      ],
    ];
    for (const [query, message] of cases) {
      const response = await get(query);
      expect(response.statusCode, query).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/xml/);
      expect(xmlMessage(response.body), query).toBe(message);
    }
  });

  it('refuses an over-long value or NUL, naming the parameter as sent', async () => {
    const long = await get(`?UserId_Type=${'a'.repeat(257)}`);
    expect(long.statusCode).toBe(400);
    expect(xmlMessage(long.body)).toBe('The parameter UserId_Type is longer than 256 characters.');
    expect(xmlMessage((await get('?x=a%00b')).body)).toBe('The parameter x contains NUL.');
  });

  it('answers a missing or blank required parameter with its messages, in the JSON format', async () => {
    const missing = await app.inject({ method: 'POST', url: '/cancel' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({
      error: 'bad_request',
      message: 'tripId is required to cancel a trip.',
    });
    const blank = await app.inject({ method: 'POST', url: '/cancel?TripId=%20%20' });
    expect(blank.json().message).toBe('tripId must not be empty.');
    const sent = await app.inject({ method: 'POST', url: '/cancel?TRIPID=%20abc%20' });
    expect(sent.json()).toEqual({ tripId: 'abc' });
  });
});

describe('concurQueryAndBody', () => {
  const post = (url: string, payload?: string) =>
    app.inject({
      method: 'POST',
      url,
      ...(payload !== undefined
        ? { payload, headers: { 'content-type': 'application/json' } }
        : {}),
    });

  it('merges the query and a JSON body (numbers and booleans as text), the body winning', async () => {
    const response = await post(
      '/GetTrips?ItemsPerPage=5&bookingType=Car',
      '{"ItemsPerPage": 10, "IncludeCanceledTrips": true}',
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      query: { itemsperpage: 10, includecanceledtrips: true, bookingtype: 'Car' },
      original: { ItemsPerPage: '10', bookingType: 'Car', IncludeCanceledTrips: 'true' },
    });
    expect((await post('/GetTrips?itemsPerPage=3')).json().query).toEqual({ itemsperpage: 3 });
  });

  it('refuses a body that is not an object, and bad values with their messages', async () => {
    expect(xmlMessage((await post('/GetTrips', '[1]')).body)).toBe(
      'The body must be a JSON object.',
    );
    const bad = await post('/GetTrips', '{"itemsPerPage": 0}');
    expect(xmlMessage(bad.body)).toBe(
      "ItemsPerPage must be a whole number from 1 to 1000 (got '0').",
    );
  });
});

describe('compileQueryConverter', () => {
  it('refuses, at start-up, a parameter declared with capitals', () => {
    expect(() =>
      compileQueryConverter(Type.Object({ tripId: Type.Optional(Type.String()) })),
    ).toThrow(/lower case/);
  });
});
