/**
 * Methods and paths the Trip v1.1 API does not have (SPEC §1 "Methods": only GET and POST)
 * answer 404 with an `<Error>`, whatever body and content type the request carries.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app-fixture.js';
import type { TestContext } from '../helpers/test-app.js';
import { createTrip, expectError, getTrip, TRIP_PATH, tripXml } from '../helpers/trip-requests.js';

let context: TestContext;
let token: string;
let tripId: string;

useTestApp((given) => {
  ({ context, token } = given);
});
beforeAll(async () => {
  tripId = (await createTrip(context.app, token, tripXml({ name: 'Untouchable' }))).tripId;
});

describe('unknown Trip v1.1 routes', () => {
  const cases = () =>
    [
      ['PUT', TRIP_PATH],
      ['PUT', `${TRIP_PATH}/${tripId}`],
      ['DELETE', `${TRIP_PATH}/${tripId}`],
      ['PATCH', `${TRIP_PATH}/${tripId}`],
      ['POST', `${TRIP_PATH}/${tripId}`],
      ['POST', `${TRIP_PATH}/GetTrip`],
    ] as const;

  for (const type of ['application/xml', 'text/plain', 'application/json']) {
    it(`returns 404 with an <Error> for a ${type} body, and changes nothing`, async () => {
      const before = (await getTrip(context.app, token, tripId)).body;
      for (const [method, url] of cases()) {
        const response = await context.app.inject({
          method,
          url,
          headers: { authorization: `Bearer ${token}`, 'content-type': type },
          payload: type === 'application/json' ? '{"TripName":"x"}' : tripXml({ name: 'Changed' }),
        });
        const { message } = expectError(response, 404);
        expect(message, `${method} ${url}`).toContain(method);
        expect(response.headers['concur-correlationid']).toBeTruthy();
      }
      expect((await getTrip(context.app, token, tripId)).body).toBe(before);
    });
  }

  it('returns 404 with an <Error> without a body', async () => {
    for (const [method, url] of cases()) {
      expectError(await context.app.inject({ method, url }), 404);
    }
  });
});
