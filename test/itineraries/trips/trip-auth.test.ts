/**
 * Authentication on every Trip v1.1 call (SPEC §1, §6): `Bearer` and `OAuth` schemes; no
 * header → 401; a token that fails validation (garbage, bad signature, expired) → 403; a token
 * without the ITINER scope → 403. A refused write changes nothing.
 */
import type { LightMyRequestResponse } from 'fastify';
import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { TokenKeys } from '../../../src/modules/oauth/keys/access-token.js';
import { SecretBox } from '../../../src/security/secret-box.js';
import { useTestApp } from '../../helpers/app-fixture.js';
import { seedTenant, type TestContext, tokenFor } from '../../helpers/test-app.js';
import {
  createTrip,
  dayAt,
  everyTripId,
  expectError,
  getTrip,
  TRIP_PATH,
  tripXml,
} from '../../helpers/trip-requests.js';
import { parseXml, text } from '../../helpers/xml-tree.js';

let context: TestContext;
let token: string;
let tripId: string;

let locators = 0;
/** A trip with a booking of its own (a new record locator each time). */
const tripBody = (name: string) =>
  tripXml({
    name,
    bookings: [{ locator: `AUTH${++locators}`, segments: [{ start: dayAt(5), end: dayAt(6) }] }],
  });

useTestApp((given) => {
  ({ context, token } = given);
});
beforeAll(async () => {
  tripId = (await createTrip(context.app, token, tripBody('Guarded'))).tripId;
});

type Headers = Record<string, string>;

/** One request per Trip v1.1 call, with the given extra headers (e.g. authorization). */
function endpoints(): {
  name: string;
  call: (h: Headers, id?: string) => Promise<LightMyRequestResponse>;
}[] {
  const inject = context.app.inject.bind(context.app);
  const xml = { 'content-type': 'application/xml' };
  return [
    {
      name: 'POST /api/travel/trip/v1.1 (create)',
      call: (h) =>
        inject({
          method: 'POST',
          url: TRIP_PATH,
          headers: { ...xml, ...h },
          payload: tripBody('Created'),
        }),
    },
    {
      name: 'POST /api/travel/trip/v1.1?tripId= (update)',
      call: (h, id = tripId) =>
        inject({
          method: 'POST',
          url: `${TRIP_PATH}?tripId=${id}`,
          headers: { ...xml, ...h },
          payload: tripBody('Updated by someone'),
        }),
    },
    {
      name: 'GET /api/travel/trip/v1.1/{tripId}',
      call: (h, id = tripId) => inject({ method: 'GET', url: `${TRIP_PATH}/${id}`, headers: h }),
    },
    {
      name: 'GET /api/travel/trip/v1.1',
      call: (h) => inject({ method: 'GET', url: TRIP_PATH, headers: h }),
    },
    {
      name: 'POST /api/travel/trip/v1.1/GetTrips',
      call: (h) =>
        inject({
          method: 'POST',
          url: `${TRIP_PATH}/GetTrips`,
          headers: { 'content-type': 'application/json', ...h },
          payload: JSON.stringify({ startDate: dayAt(0).slice(0, 10) }),
        }),
    },
    {
      name: 'POST /api/travel/trip/v1.1/cancel',
      call: (h, id = tripId) =>
        inject({ method: 'POST', url: `${TRIP_PATH}/cancel?tripId=${id}`, headers: h }),
    },
  ];
}

/** A token signed with the service's own key whose lifetime ended two minutes ago. */
async function expiredToken(): Promise<string> {
  const claims = decodeJwt(token);
  const { iss, iat: _iat, exp: _exp, nbf: _nbf, jti: _jti, ...rest } = claims;
  const keys = await TokenKeys.load(
    context.database.db,
    context.config.tokenIssuer,
    SecretBox.fromConfig(context.config),
  );
  const expired = await keys.sign(rest as Parameters<TokenKeys['sign']>[0], -120, iss ?? '');
  expect((decodeJwt(expired).exp ?? 0) * 1000).toBeLessThan(Date.now());
  return expired;
}

/** Asserts the guarded trip and the trip count did not change. */
async function expectNothingWritten(before: { body: string; ids: string[] }) {
  const read = await getTrip(context.app, token, tripId);
  expect(read.body).toBe(before.body);
  expect(text(parseXml(read.body), 'TripStatus')).toBe('0');
  expect(await everyTripId(context.app, token)).toEqual(before.ids);
}

/** Trips stored in this file's database, whoever owns them. */
async function storedTripCount(): Promise<number> {
  const row = await context.database.db
    .selectFrom('trips')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function snapshot() {
  return {
    body: (await getTrip(context.app, token, tripId)).body,
    ids: await everyTripId(context.app, token),
  };
}

describe('Trip v1.1 authentication', () => {
  for (const scheme of ['Bearer', 'OAuth', 'bearer']) {
    it(`returns 200 on every call with "Authorization: ${scheme} <token>"`, async () => {
      for (const endpoint of endpoints()) {
        // Update and cancel get a trip of their own so the guarded one stays untouched.
        const own = (await createTrip(context.app, token, tripBody(`Own ${scheme}`))).tripId;
        const response = await endpoint.call({ authorization: `${scheme} ${token}` }, own);
        expect(response.statusCode, `${endpoint.name}: ${response.body}`).toBe(200);
      }
    });
  }

  it('returns 401 on every call without an Authorization header, and writes nothing', async () => {
    const before = await snapshot();
    for (const endpoint of endpoints()) {
      expectError(await endpoint.call({}), 401);
    }
    await expectNothingWritten(before);
  });

  it('returns 403 on every call with a token that is not a valid JWT, and writes nothing', async () => {
    const before = await snapshot();
    for (const endpoint of endpoints()) {
      for (const bad of ['Bearer not-a-token', 'OAuth abc.def.ghi']) {
        const response = await endpoint.call({ authorization: bad });
        expectError(response, 403);
      }
    }
    await expectNothingWritten(before);
  });

  it('returns 403 on every call with a token whose signature was altered, and writes nothing', async () => {
    const [header, payload, signature] = token.split('.');
    const flipped = `${signature!.startsWith('A') ? 'B' : 'A'}${signature!.slice(1)}`;
    const forged = `${header}.${payload}.${flipped}`;
    const before = await snapshot();
    for (const endpoint of endpoints()) {
      expectError(await endpoint.call({ authorization: `Bearer ${forged}` }), 403);
    }
    await expectNothingWritten(before);
  });

  it('returns 403 on every call with an expired token, and writes nothing', async () => {
    const expired = await expiredToken();
    const before = await snapshot();
    for (const endpoint of endpoints()) {
      expectError(
        await endpoint.call({ authorization: `Bearer ${expired}` }),
        403,
        /expired|invalid/i,
      );
    }
    await expectNothingWritten(before);
  });

  it('returns 403 on every call with a token lacking the ITINER scope, and writes nothing', async () => {
    const noScopeTenant = await seedTenant(context, { scopes: ['openid'] });
    const noScope = await tokenFor(context, noScopeTenant, noScopeTenant.traveller);
    const scopes = decodeJwt(noScope)['https://api.concursolutions.com/scopes'];
    expect(scopes).not.toContain('ITINER');
    const before = await storedTripCount();
    for (const endpoint of endpoints()) {
      expectError(await endpoint.call({ authorization: `Bearer ${noScope}` }), 403, /ITINER/);
    }
    // The scope-less tenant cannot list its own trips, so count the rows themselves.
    expect(await storedTripCount()).toBe(before);
  });
});
