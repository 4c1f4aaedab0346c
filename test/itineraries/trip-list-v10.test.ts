/**
 * GET /api/travel/trip/v1.0 (docs/COMPATIBILITY.md "Trip v1.0 list"): the v1.1 list's
 * parameters and `ItineraryInfoList` answer under the older path, with and without the trailing
 * slash, with the `OAuth` scheme, and with the doubled `?` older clients build.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app-fixture.js';
import type { Tenant, TestContext } from '../helpers/test-app.js';
import {
  createTrip,
  dateOnly,
  expectError,
  infos,
  listTrips,
  simpleTrip,
  TRIP_NS,
} from '../helpers/trip-requests.js';
import { parseXml, text } from '../helpers/xml-tree.js';

let context: TestContext;
let tenant: Tenant;
let token: string;
const trips: Record<string, string> = {};

useTestApp((given) => {
  ({ context, tenant, token } = given);
});
beforeAll(async () => {
  const plan = { past: [-45, -40], current: [-2, 3], future: [330, 335] } as const;
  for (const [name, [from, to]] of Object.entries(plan)) {
    trips[name] = (await createTrip(context.app, token, simpleTrip(name, from, to))).tripId;
  }
});

function v10(url: string, bearer = token) {
  return context.app.inject({
    method: 'GET',
    url: `/api/travel/trip/v1.0${url}`,
    headers: { authorization: `OAuth ${bearer}` },
  });
}

function tripIdsOf(body: string): string[] {
  return infos(parseXml(body))
    .map((info) => text(info, 'TripId') ?? '')
    .sort();
}

const ids = (...names: string[]) => names.map((n) => trips[n]).sort();

describe('GET /api/travel/trip/v1.0', () => {
  it("answers v1.1's ItineraryInfoList for the default window, with or without the slash", async () => {
    const v11 = await listTrips(context.app, token);
    for (const path of ['', '/']) {
      const response = await v10(path);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/xml/);
      const doc = parseXml(response.body);
      expect(doc.name).toBe('ItineraryInfoList');
      expect(doc.uri).toBe(TRIP_NS);
      expect(tripIdsOf(response.body)).toEqual(ids('current', 'future'));
      expect(response.body).toBe(v11.body);
    }
  });

  it('reads the v1.1 parameters, both date spellings among them', async () => {
    const query = `?startDate=${dateOnly(-50, '%2F')}&endDate=${dateOnly(-30)}`;
    const response = await v10(`/${query}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(tripIdsOf(response.body)).toEqual(ids('past'));
    expectError(await v10('/?startDate=2024-13-45'), 400, /startDate/i);
  });

  it('reads a doubled ? as a separator', async () => {
    const window = `startDate=${dateOnly(-50)}?endDate=${dateOnly(-30)}`;
    for (const url of [`/?${window}`, `/??${window}`, `?${window}?x`]) {
      const response = await v10(url);
      expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
      expect(tripIdsOf(response.body)).toEqual(ids('past'));
    }
  });

  it("keeps v1.1's access rules", async () => {
    const anonymous = await context.app.inject({ method: 'GET', url: '/api/travel/trip/v1.0/' });
    expectError(anonymous, 401);
    expectError(await v10('/', 'not-a-token'), 403);
    // A traveller may not list another user's trips (the admin's, here).
    const other = await v10(`/?userid_type=login&userid_value=${tenant.admin.loginId}`);
    expectError(other, 403, /administrator/i);
  });
});
