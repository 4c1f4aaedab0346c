/**
 * The access matrix (docs/ACCESS.md) over the endpoints that list rather than name a trip: the
 * v4 list (`GET /travel/v4/trips`), the trip-changes feed (`GET /travel/v4/trip-changes`) and
 * Insights Latest Bookings, for the same personas × targets (own user, a colleague, a traveller
 * of the foreign company). A list has no target in its path: each check asks whether the
 * target's trip is in the answer (200), or in it for nobody ('hidden', still 200), or refused.
 */
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../../helpers/app-fixture.js';
import {
  type PersonaName,
  type PersonaWorld,
  seedPersonaWorld,
  type Target,
} from '../../helpers/persona-world.js';
import type { TestContext } from '../../helpers/test-app.js';
import { auth } from '../../helpers/trip-requests.js';
import { listTripsV4, operation, type V4List, v4Token } from '../../helpers/v4-requests.js';
import { type FeedChange, followFeed, getFeed } from '../feed/feed-client.js';

/** A status; 'hidden' is a 200 answer without the target's trip (or its bookings). */
type Cell = 200 | 400 | 403 | 404 | 'hidden';
type Row = [own: Cell, colleague: Cell, foreign: Cell];
type Listing = 'v4List' | 'tripChanges' | 'latestBookings';

const H = 'hidden';
const USER_403: Row = [403, 403, 403];
/** Company-level tokens only; the reach of the v1.1 list for a company token. */
const COMPANY_LIST: Record<PersonaName, Row> = {
  traveller: USER_403,
  admin: USER_403,
  companyAdmin: USER_403,
  tmcCompany: [200, 200, H],
  // Every trip of the world's home company was made by the first agency's app.
  otherAgencyTmc: [H, H, H],
  supplier: USER_403,
  partnerCompany: [200, 200, H],
  partnerTraveller: USER_403,
};

const MATRIX: Record<Listing, Record<PersonaName, Row>> = {
  v4List: COMPANY_LIST,
  tripChanges: COMPANY_LIST,
  // `user` names another traveller: read administrators and company tokens only (403), within
  // their companies (404); a supplier reads only trips holding one of its bookings.
  latestBookings: {
    traveller: [200, 403, 403],
    admin: [200, 200, 404],
    companyAdmin: [200, 403, 403],
    tmcCompany: [200, 200, 404],
    otherAgencyTmc: [H, H, 404],
    supplier: [H, 403, 403],
    partnerCompany: [200, 200, 404],
    partnerTraveller: [200, 403, 403],
  },
};

const COMPANY = new Set<PersonaName>(['tmcCompany', 'otherAgencyTmc', 'partnerCompany']);

let context: TestContext;
let world: PersonaWorld;
const v4Tokens = new Map<PersonaName, string>();

useTestContext(async (given) => {
  context = given;
  world = await seedPersonaWorld(context);
  const { apps } = world.world;
  v4Tokens.set('tmcCompany', await v4Token(context, apps.tmc));
  v4Tokens.set('otherAgencyTmc', await v4Token(context, apps.otherAgencyTmc));
  v4Tokens.set('partnerCompany', await v4Token(context, apps.partner));
});

/** The answer's status, and whether the target's trip (or its bookings) is in it. */
interface Outcome {
  status: number;
  body: string;
  listed?: boolean;
}

/** Every page of the v4 list, following `next`. */
async function v4Ids(token: string): Promise<Outcome & { ids: string[] }> {
  const ids: string[] = [];
  let response = await listTripsV4(context.app, token);
  for (;;) {
    if (response.statusCode !== 200)
      return { status: response.statusCode, body: response.body, ids };
    const page = response.json() as V4List;
    ids.push(...page.data.map((item) => item.id));
    const next = operation(page, 'next');
    if (!next) return { status: 200, body: response.body, ids };
    response = await listTripsV4(context.app, token, next);
  }
}

async function call(name: PersonaName, endpoint: Listing, target: Target): Promise<Outcome> {
  const persona = world.personas[name];
  const user = world.targetUser(persona, target);
  const readTrip = world.readTrips.get(user.loginId) ?? '';
  if (endpoint === 'v4List') {
    const token = v4Tokens.get(name) ?? persona.token;
    const { ids, ...outcome } = await v4Ids(token);
    return { ...outcome, listed: ids.includes(readTrip) };
  }
  if (endpoint === 'tripChanges') {
    const token = v4Tokens.get(name) ?? persona.token;
    const first = await getFeed(context.app, token, { limit: '1000' });
    if (first.statusCode !== 200) return { status: first.statusCode, body: first.body };
    const { changes } = await followFeed(context.app, token, undefined, 1000);
    const created = (c: FeedChange) => c.tripId === readTrip && c.type === 'created';
    return { status: 200, body: first.body, listed: changes.some(created) };
  }
  // A user token names no one for its own user; a company token always names the traveller.
  const own = persona.self?.loginId === user.loginId && !COMPANY.has(name);
  const response = await context.app.inject({
    method: 'GET',
    url: `/api/v3.0/insights/latestbookings${own ? '' : `?user=${encodeURIComponent(user.loginId)}`}`,
    headers: auth(persona.token),
  });
  if (response.statusCode !== 200) return { status: response.statusCode, body: response.body };
  const airlines = (response.json() as { Airlines: { Code?: string }[] }).Airlines;
  // Every read trip holds the TMC's United flight (access-world.ts, tmcTripXml).
  return { status: 200, body: response.body, listed: airlines.some((a) => a.Code === 'UA') };
}

const cases = (Object.keys(MATRIX) as Listing[]).flatMap((endpoint) =>
  (Object.keys(MATRIX[endpoint]) as PersonaName[]).flatMap((name) =>
    (['own', 'colleague', 'foreign'] as const).map((target, index) => ({
      endpoint,
      name,
      target,
      expected: MATRIX[endpoint][name][index] as Cell,
    })),
  ),
);

describe('persona × listing endpoint × target', () => {
  it.each(cases)('$endpoint by $name for the $target trip → $expected', async (c) => {
    const outcome = await call(c.name, c.endpoint, c.target);
    if (typeof c.expected === 'number' && c.expected >= 400) {
      expect(outcome.status, outcome.body).toBe(c.expected);
      expect(outcome.body).toMatch(/"errors?"|<Error>/);
      return;
    }
    expect(outcome.status, outcome.body).toBe(200);
    expect(outcome.listed, outcome.body.slice(0, 300)).toBe(c.expected === 200);
  });
});
