/**
 * Every response carries `concur-correlationid` (SPEC §1 "Correlation id"): the client's value
 * when it sent one, a fresh one otherwise, on successes and errors alike. Error bodies carry
 * the same id in `<Id>`.
 */
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app-fixture.js';
import type { TestContext } from '../helpers/test-app.js';
import { createTrip, expectError, TRIP_PATH, tripXml } from '../helpers/trip-requests.js';

const HEADER = 'concur-correlationid';

let context: TestContext;
let token: string;
let tripId: string;

useTestApp((given) => {
  ({ context, token } = given);
});
beforeAll(async () => {
  tripId = (await createTrip(context.app, token, tripXml({ name: 'Correlated' }))).tripId;
});

type Call = (headers: Record<string, string>) => Promise<LightMyRequestResponse>;

/** Requests by outcome; `status` is what each must answer. */
function calls(): { name: string; status: number; call: Call }[] {
  const bearer = { authorization: `Bearer ${token}` };
  const xml = { ...bearer, 'content-type': 'application/xml' };
  const inject = context.app.inject.bind(context.app);
  return [
    {
      name: 'details',
      status: 200,
      call: (h) =>
        inject({ method: 'GET', url: `${TRIP_PATH}/${tripId}`, headers: { ...bearer, ...h } }),
    },
    {
      name: 'list',
      status: 200,
      call: (h) => inject({ method: 'GET', url: TRIP_PATH, headers: { ...bearer, ...h } }),
    },
    {
      name: 'create',
      status: 200,
      call: (h) =>
        inject({ method: 'POST', url: TRIP_PATH, headers: { ...xml, ...h }, payload: tripXml() }),
    },
    {
      name: 'no Authorization header',
      status: 401,
      call: (h) => inject({ method: 'GET', url: TRIP_PATH, headers: h }),
    },
    {
      name: 'invalid token',
      status: 403,
      call: (h) =>
        inject({ method: 'GET', url: TRIP_PATH, headers: { authorization: 'Bearer nope', ...h } }),
    },
    {
      name: 'malformed XML',
      status: 400,
      call: (h) =>
        inject({
          method: 'POST',
          url: TRIP_PATH,
          headers: { ...xml, ...h },
          payload: '<Itinerary>',
        }),
    },
    {
      name: 'JSON body',
      status: 415,
      call: (h) =>
        inject({
          method: 'POST',
          url: TRIP_PATH,
          headers: { ...bearer, 'content-type': 'application/json', ...h },
          payload: '{"TripName":"x"}',
        }),
    },
    {
      name: 'unknown trip',
      status: 404,
      call: (h) =>
        inject({ method: 'GET', url: `${TRIP_PATH}/missing`, headers: { ...bearer, ...h } }),
    },
    {
      name: 'broken percent-encoding in the trip id',
      status: 400,
      call: (h) =>
        inject({ method: 'GET', url: `${TRIP_PATH}/%E0%A4%A`, headers: { ...bearer, ...h } }),
    },
    {
      name: 'over-long trip id',
      status: 414,
      call: (h) =>
        inject({
          method: 'GET',
          url: `${TRIP_PATH}/${'x'.repeat(2000)}`,
          headers: { ...bearer, ...h },
        }),
    },
    {
      name: 'unknown route',
      status: 404,
      call: (h) => inject({ method: 'GET', url: '/api/travel/nothing/here', headers: h }),
    },
  ];
}

describe('concur-correlationid on /api/travel/trip/v1.1', () => {
  it('echoes the client value on every kind of response', async () => {
    for (const { name, status, call } of calls()) {
      const sent = `client-${name.replace(/\W/g, '-')}-42`;
      const response = await call({ [HEADER]: sent });
      expect(response.statusCode, `${name}: ${response.body}`).toBe(status);
      expect(response.headers[HEADER], name).toBe(sent);
      if (status >= 400) expect(expectError(response, status).id, name).toBe(sent);
    }
  });

  it('sends a fresh, distinct id on every kind of response when the client sends none', async () => {
    const seen = new Set<string>();
    for (const { name, status, call } of calls()) {
      const response = await call({});
      expect(response.statusCode, name).toBe(status);
      const id = response.headers[HEADER];
      expect(typeof id, name).toBe('string');
      expect((id as string).length, name).toBeGreaterThanOrEqual(8);
      expect(seen.has(id as string), `${name} reused ${id}`).toBe(false);
      seen.add(id as string);
      if (status >= 400) expect(expectError(response, status).id, name).toBe(id);
    }
  });
});
