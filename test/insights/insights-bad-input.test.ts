/**
 * Bad input to the Insights v3 routes: clear 400s naming the parameter (bad dates, a reversed
 * or too wide window, unknown types, forged or moved cursors, parameters the reference does
 * not describe), 401 without a token, Concur's `<Error>` unless JSON is preferred.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app-fixture.js';
import type { TestContext } from '../helpers/test-app.js';
import { createTrip, dateOnly, simpleTrip } from '../helpers/trip-requests.js';
import { errorOf, getInsights, LATEST, OPPORTUNITIES, opportunities } from './insights-world.js';

let context: TestContext;
let token: string;

useTestApp((given) => {
  context = given.context;
  token = given.token;
});

beforeAll(async () => {
  await createTrip(context.app, token, simpleTrip('Bad input', 3, 5));
});

const refused: [string, Record<string, string>, RegExp][] = [
  ['a day that does not exist', { fromUtc: '2026-02-30', toUtc: '2026-03-02' }, /fromUtc/],
  ['words for a date', { fromUtc: 'yesterday', toUtc: '2026-03-02' }, /fromUtc/],
  ['an hour out of range', { fromUtc: '2026-03-01T25:00:00Z', toUtc: '2026-03-02' }, /fromUtc/],
  ['an offset on a date alone', { fromUtc: '2026-03-01+01:00', toUtc: '2026-03-02' }, /fromUtc/],
  ['fromUtc after toUtc', { fromUtc: '2026-03-05', toUtc: '2026-03-01' }, /toUtc/],
  ['a window over 366 days', { fromUtc: '2025-01-01', toUtc: '2026-03-01' }, /366 days/],
  ['an unknown type', { tripId: 'x', opportunityType: 'Hotel,Boat' }, /'Boat'/],
  ['tripId with a window', { tripId: 'x', fromUtc: '2026-03-01', toUtc: '2026-03-02' }, /either/],
  ['half a window', { fromUtc: '2026-03-01' }, /both fromUtc and toUtc/],
  ['no parameter', {}, /tripId/],
  ['an unknown parameter', { tripId: 'x', userid_value: 'someone' }, /userid_value/],
  ['a forged cursor', { fromUtc: '2026-03-01', toUtc: '2026-03-02', offset: 'abc.def' }, /offset/],
  ['an over-long trip id', { tripId: 'x'.repeat(101) }, /tripId/],
];

describe('GET /api/v3.0/insights/opportunities bad input', () => {
  for (const [what, query, message] of refused) {
    it(`answers 400 for ${what}`, async () => {
      const response = await getInsights(context.app, token, OPPORTUNITIES, query);
      expect(errorOf(response, 400)).toMatch(message);
    });
  }

  it('answers 404 for a trip id holding a NUL, which names no trip', async () => {
    const response = await getInsights(context.app, token, OPPORTUNITIES, { tripId: 'a\u0000b' });
    expect(errorOf(response, 404)).toContain('was not found');
  });

  it('answers 400 for a repeated parameter', async () => {
    const response = await getInsights(context.app, token, `${OPPORTUNITIES}?tripId=a&tripId=b`);
    expect(errorOf(response, 400)).toContain('repeated');
  });

  it('refuses a well-formed cursor without this server’s signature', async () => {
    const window = { fromUtc: dateOnly(-1), toUtc: dateOnly(300) };
    expect((await opportunities(context.app, token, window)).NextPage).toBeUndefined();
    // [0, "x"], signed with nothing.
    const cursor = 'W1swLCJ4Il0.AAAAAAAAAAAAAAAAAAAAAA';
    const response = await getInsights(context.app, token, OPPORTUNITIES, {
      ...window,
      offset: cursor,
    });
    expect(errorOf(response, 400)).toContain('NextPage');
  });

  it('answers in Concur’s XML <Error> unless the client prefers JSON', async () => {
    const response = await getInsights(
      context.app,
      token,
      OPPORTUNITIES,
      { tripId: 'x', opportunityType: 'Boat' },
      {
        accept: 'application/xml',
      },
    );
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/xml/);
    expect(response.body).toMatch(/<Error>[\s\S]*<Message>[\s\S]*Boat/);
  });

  it('answers 401 without a token', async () => {
    const response = await context.app.inject({ method: 'GET', url: `${OPPORTUNITIES}?tripId=x` });
    expect(response.statusCode).toBe(401);
    const latest = await context.app.inject({ method: 'GET', url: LATEST });
    expect(latest.statusCode).toBe(401);
  });
});

describe('GET /api/v3.0/insights/latestbookings bad input', () => {
  it('answers 400 for an unknown parameter and 404 for an unknown user', async () => {
    expect(errorOf(await getInsights(context.app, token, LATEST, { userid: 'x' }), 400)).toContain(
      'userid',
    );
    for (const user of ['nobody@example.com', 'a\u0000b']) {
      const unknown = await getInsights(context.app, token, LATEST, { user });
      expect([403, 404]).toContain(unknown.statusCode);
    }
  });
});
