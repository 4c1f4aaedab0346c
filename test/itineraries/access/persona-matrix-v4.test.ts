/**
 * The access matrix (docs/ACCESS.md) extended to the later JSON endpoints, generated over the
 * same personas × targets (own user, colleague, a traveller of the foreign company): the v4 trip,
 * Insights opportunities of a trip, the one-trip calendar download, and DELETE of a v4 trip. Company tokens ask for the v4
 * scope, as ACCESS.md allows an app holding ITINER to.
 */
import { describe, expect, it } from 'vitest';
import { type Person, tmcTripXml, userToken } from '../../helpers/access-world.js';
import { useTestContext } from '../../helpers/app-fixture.js';
import {
  type Persona,
  type PersonaName,
  type PersonaWorld,
  seedPersonaWorld,
  type Target,
} from '../../helpers/persona-world.js';
import type { TestContext } from '../../helpers/test-app.js';
import { auth, createTrip } from '../../helpers/trip-requests.js';
import { v4Token } from '../../helpers/v4-requests.js';

type Row = [own: number, colleague: number, foreign: number];
type Later = 'v4Trip' | 'opportunities' | 'tripIcs' | 'v4Delete';

const USER_403: Row = [403, 403, 403];
const MATRIX: Record<Later, Record<PersonaName, Row>> = {
  // Company-level tokens only; another agency's trip is 404, as another company's.
  v4Trip: {
    traveller: USER_403,
    admin: USER_403,
    companyAdmin: USER_403,
    tmcCompany: [200, 200, 404],
    otherAgencyTmc: [404, 404, 404],
    supplier: USER_403,
    partnerCompany: [200, 200, 404],
    partnerTraveller: USER_403,
  },
  // A user token reaches its own trips only; a supplier only trips holding its own bookings.
  opportunities: {
    traveller: [200, 404, 404],
    admin: [200, 404, 404],
    companyAdmin: [200, 404, 404],
    tmcCompany: [200, 200, 404],
    otherAgencyTmc: [404, 404, 404],
    supplier: [404, 404, 404],
    partnerCompany: [200, 200, 404],
    partnerTraveller: [200, 404, 404],
  },
  // The one-trip calendar: the v1.1 details' reach, with 404 where the details say 403.
  tripIcs: {
    traveller: [200, 404, 404],
    admin: [200, 200, 404],
    companyAdmin: [200, 404, 404],
    tmcCompany: [200, 200, 404],
    otherAgencyTmc: [404, 404, 404],
    supplier: [200, 404, 404],
    partnerCompany: [200, 200, 404],
    partnerTraveller: [200, 404, 404],
  },
  // Web Services Administrators and company tokens, with the v1.1 write rules of their app.
  v4Delete: {
    traveller: USER_403,
    admin: [204, 204, 404],
    companyAdmin: USER_403,
    tmcCompany: [204, 204, 404],
    otherAgencyTmc: [404, 404, 404],
    supplier: USER_403,
    partnerCompany: USER_403,
    partnerTraveller: USER_403,
  },
};

const COMPANY = new Set<PersonaName>(['tmcCompany', 'otherAgencyTmc', 'partnerCompany']);

let context: TestContext;
let world: PersonaWorld;
const v4Tokens = new Map<PersonaName, string>();
let foreignAdminToken: string;

useTestContext(async (given) => {
  context = given;
  world = await seedPersonaWorld(context);
  const { apps } = world.world;
  v4Tokens.set('tmcCompany', await v4Token(context, apps.tmc));
  v4Tokens.set('otherAgencyTmc', await v4Token(context, apps.otherAgencyTmc));
  v4Tokens.set('partnerCompany', await v4Token(context, apps.partner));
  foreignAdminToken = await userToken(context, apps.foreignTmc, world.world.foreign.admin);
});

/** A fresh trip the first agency's TMC made for `user` (to be deleted). */
async function freshTrip(user: Person): Promise<string> {
  const foreign = user === world.world.foreign.traveller;
  const { tripId } = await createTrip(
    context.app,
    foreign ? foreignAdminToken : world.personas.admin.token,
    tmcTripXml(world.world, `delete ${user.loginId}`),
    { userid_type: 'login', userid_value: user.loginId },
  );
  return tripId;
}

async function call(name: PersonaName, endpoint: Later, target: Target) {
  const persona: Persona = world.personas[name];
  const token = COMPANY.has(name) ? (v4Tokens.get(name) ?? '') : persona.token;
  const user = world.targetUser(persona, target);
  const readTrip = world.readTrips.get(user.loginId) ?? '';
  if (endpoint === 'v4Trip') {
    return context.app.inject({
      method: 'GET',
      url: `/travel/v4/trips/${readTrip}`,
      headers: auth(token),
    });
  }
  if (endpoint === 'opportunities') {
    return context.app.inject({
      method: 'GET',
      url: `/api/v3.0/insights/opportunities?tripId=${readTrip}`,
      headers: auth(COMPANY.has(name) ? persona.token : token),
    });
  }
  if (endpoint === 'tripIcs') {
    return context.app.inject({
      method: 'GET',
      // A company-level token names the traveller, as on the v1.1 details.
      url: `/calendar/v1/trips/${readTrip}.ics${
        COMPANY.has(name) ? `?userid_type=login&userid_value=${user.loginId}` : ''
      }`,
      headers: auth(persona.token),
    });
  }
  const tripId = await freshTrip(user);
  return context.app.inject({
    method: 'DELETE',
    url: `/travel/v4/trips/${tripId}`,
    headers: auth(token),
  });
}

const cases = (Object.keys(MATRIX) as Later[]).flatMap((endpoint) =>
  (Object.keys(MATRIX[endpoint]) as PersonaName[]).flatMap((name) =>
    (['own', 'colleague', 'foreign'] as const).map((target, index) => ({
      endpoint,
      name,
      target,
      status: MATRIX[endpoint][name][index] as number,
    })),
  ),
);

describe('persona × later endpoint × target', () => {
  it.each(cases)('$endpoint by $name on $target trips → $status', async (c) => {
    const response = await call(c.name, c.endpoint, c.target);
    expect(response.statusCode, response.body).toBe(c.status);
    if (c.status >= 400) expect(response.headers['content-type']).toMatch(/json|xml/);
  });
});
