/**
 * A trip body over the configured size limit is refused with 413 before anything is written.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../helpers/app-fixture.js';
import type { TestContext } from '../../helpers/test-app.js';
import {
  createTrip,
  everyTripId,
  expectError,
  getTrip,
  postTrip,
  tripXml,
} from '../../helpers/trip-requests.js';

const LIMIT = 4096;

let context: TestContext;
let token: string;
let tripId: string;

/** A trip document of exactly `bytes` bytes (UTF-8), padded through Comments. */
function tripOfSize(bytes: number): string {
  const empty = tripXml({ name: 'Sized', extra: '<Comments></Comments>' });
  const padding = bytes - Buffer.byteLength(empty);
  expect(padding).toBeGreaterThan(0);
  // Comments allows 512 characters; the rest goes into ignored, unknown elements.
  const comments = 'c'.repeat(Math.min(padding, 512));
  const rest = padding - comments.length;
  const filler =
    rest > 0 ? `<Unknown>${'u'.repeat(rest - '<Unknown></Unknown>'.length)}</Unknown>` : '';
  const xml = tripXml({ name: 'Sized', extra: `<Comments>${comments}</Comments>${filler}` });
  expect(Buffer.byteLength(xml)).toBe(bytes);
  return xml;
}

useTestApp({ config: { bodyLimitBytes: LIMIT } }, (given) => {
  ({ context, token } = given);
});
beforeAll(async () => {
  tripId = (await createTrip(context.app, token, tripXml({ name: 'Small' }))).tripId;
});

async function state() {
  return {
    trips: await everyTripId(context.app, token),
    body: (await getTrip(context.app, token, tripId)).body,
  };
}

describe('POST /api/travel/trip/v1.1 with a body over the size limit', () => {
  it('returns 200 for a body of exactly the limit', async () => {
    const response = await postTrip(context.app, token, tripOfSize(LIMIT));
    expect(response.statusCode, response.body).toBe(200);
  });

  it('returns 413 with an <Error> for a create one byte over the limit, and adds no trip', async () => {
    const before = await state();
    const response = await postTrip(
      context.app,
      token,
      tripOfSize(LIMIT + 1),
      {},
      {
        'concur-correlationid': 'too-big-1',
      },
    );
    expect(expectError(response, 413, /4096/).id).toBe('too-big-1');
    expect(response.headers['concur-correlationid']).toBe('too-big-1');
    expect(await state()).toEqual(before);
  });

  it('returns 413 for an update over the limit, and leaves the trip as it was', async () => {
    const before = await state();
    expectError(await postTrip(context.app, token, tripOfSize(LIMIT * 4), { tripId }), 413);
    expect(await state()).toEqual(before);
  });
});
