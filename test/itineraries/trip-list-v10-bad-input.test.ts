/**
 * Hostile input to the Trip v1.0 list (`GET /api/travel/trip/v1.0`, v1.1's list under the older
 * path): over-long and NUL parameters, malformed percent-encoding, values that are not dates or
 * numbers, bodies it never reads and bad credentials. Each is a 4xx `<Error>` (bodies aside:
 * a GET's body is not read), and the trips stay as they were.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app-fixture.js';
import type { TestContext } from '../helpers/test-app.js';
import {
  createTrip,
  everyTripId,
  expectError,
  getTrip,
  infos,
  simpleTrip,
} from '../helpers/trip-requests.js';
import { parseXml } from '../helpers/xml-tree.js';

let context: TestContext;
let token: string;
let tripId: string;

useTestApp((given) => {
  ({ context, token } = given);
});
beforeAll(async () => {
  tripId = (await createTrip(context.app, token, simpleTrip('Listed', 1, 3))).tripId;
});

async function state() {
  return {
    trips: await everyTripId(context.app, token),
    body: (await getTrip(context.app, token, tripId)).body,
  };
}

function v10(query: string, headers: Record<string, string> = { authorization: `OAuth ${token}` }) {
  return context.app.inject({ method: 'GET', url: `/api/travel/trip/v1.0${query}`, headers });
}

describe('GET /api/travel/trip/v1.0 with hostile input', () => {
  const BAD: [string, string, RegExp][] = [
    [
      'an over-long userid_value',
      `?userid_type=login&userid_value=${'u'.repeat(300)}`,
      /userid_value/,
    ],
    ['an over-long unknown parameter', `?x=${'x'.repeat(300)}`, /longer than/],
    ['a NUL in a value', '?userid_type=login&userid_value=a%00b', /NUL/],
    ['a NUL after a doubled ?', '?startDate=2026-01-01?endDate=%00', /NUL/],
    ['a date that is not one', '?startDate=tomorrow', /startDate/i],
    ['an impossible date', '?startDate=2026-02-30', /startDate/i],
    ['ItemsPerPage that is not a number', '?ItemsPerPage=abc', /ItemsPerPage/i],
    ['an unknown userid_type', '?userid_type=nope&userid_value=x', /userid_type/i],
  ];
  for (const [name, query, message] of BAD) {
    it(`returns 400 for ${name}, and changes nothing`, async () => {
      const before = await state();
      expectError(await v10(query), 400, message);
      expect(await state()).toEqual(before);
    });
  }

  it('returns 400 for a malformed percent-encoding', async () => {
    const response = await v10('?userid_value=%E0%A4%A&userid_type=%ZZ');
    expect(response.statusCode, response.body).toBe(400);
  });

  it('does not read a body, even a DOCTYPE: the list answers as without it', async () => {
    const response = await context.app.inject({
      method: 'GET',
      url: '/api/travel/trip/v1.0',
      headers: { authorization: `OAuth ${token}`, 'content-type': 'application/xml' },
      payload: '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(infos(parseXml(response.body)).length).toBe(1);
  });

  it('returns 401 without credentials (or Basic ones) and 403 for a token that does not verify', async () => {
    const before = await state();
    expectError(await v10('', {}), 401);
    expectError(await v10('', { authorization: `Basic ${btoa('user:password')}` }), 401);
    expectError(await v10('', { authorization: 'OAuth not-a-token' }), 403);
    expectError(await v10('', { authorization: `Bearer ${token}x` }), 403);
    expect(await state()).toEqual(before);
  });
});
