/**
 * GET /api/travel/trip/v1.0/{tripId} (docs/COMPATIBILITY.md "Trip v1.0 details"): v1.1's trip
 * details under the older path, byte for byte, with the same access rules and errors, and with
 * the doubled `?` older clients build.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app-fixture.js';
import { type Tenant, type TestContext, tokenFor } from '../helpers/test-app.js';
import { createTrip, expectError, getTrip, simpleTrip, TRIP_NS } from '../helpers/trip-requests.js';
import { parseXml, text } from '../helpers/xml-tree.js';

let context: TestContext;
let tenant: Tenant;
let token: string;
let tripId: string;

useTestApp((given) => {
  ({ context, tenant, token } = given);
});
beforeAll(async () => {
  tripId = (await createTrip(context.app, token, simpleTrip('Older client', 5, 8))).tripId;
});

function v10(path: string, bearer: string | null = token) {
  return context.app.inject({
    method: 'GET',
    url: `/api/travel/trip/v1.0/${path}`,
    headers: bearer === null ? {} : { authorization: `OAuth ${bearer}` },
  });
}

describe('GET /api/travel/trip/v1.0/{tripId}', () => {
  it("answers v1.1's Itinerary for the trip, byte for byte", async () => {
    const response = await v10(encodeURIComponent(tripId));
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/xml/);
    const doc = parseXml(response.body);
    expect(doc.name).toBe('Itinerary');
    expect(doc.uri).toBe(TRIP_NS);
    expect(text(doc, 'TripName')).toBe('Older client');
    expect(response.body).toBe((await getTrip(context.app, token, tripId)).body);
  });

  it("reads v1.1's parameters, with a doubled ? as a separator", async () => {
    const tripit = (await getTrip(context.app, token, tripId, { systemFormat: 'Tripit' })).body;
    for (const query of [
      '?systemFormat=Tripit',
      '??systemFormat=Tripit',
      '?x=1?systemFormat=Tripit',
    ]) {
      const response = await v10(`${encodeURIComponent(tripId)}${query}`);
      expect(response.statusCode, `${query}: ${response.body}`).toBe(200);
      expect(response.body).toBe(tripit);
    }
    expectError(await v10(`${encodeURIComponent(tripId)}?systemFormat=Word`), 400, /Tripit/);
  });

  it('answers 404 naming an unknown trip, as v1.1 does', async () => {
    expectError(await v10('unknownTrip123'), 404, /unknownTrip123/);
    expectError(await v10(`${encodeURIComponent(tripId.toLowerCase())}x`), 404);
  });

  it("refuses another user's trip and an anonymous caller as v1.1 does", async () => {
    const other = await tokenFor(context, tenant, tenant.otherTraveller);
    const v11 = await getTrip(context.app, other, tripId);
    expect([403, 404]).toContain(v11.statusCode);
    const refused = await v10(encodeURIComponent(tripId), other);
    const { message } = expectError(refused, v11.statusCode);
    expect(message).toBe(expectError(v11, v11.statusCode).message);
    expectError(await v10(encodeURIComponent(tripId), null), 401);
    expectError(await v10(encodeURIComponent(tripId), 'not-a-token'), 403);
  });
});
