/**
 * Who may read a trip through Itinerary v4, and the errors of the others (docs/ACCESS.md,
 * "Itinerary v4"): company-level tokens with `travel.itinerary.read` only; the reach and the
 * content rules of v1.1 (another company's or another agency's trip is 404, a TripLink supplier
 * sees its own booking in full and the TripLink subset of the others); errors in v4's schema.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AccessWorld,
  companyToken,
  seedAccessWorld,
  TMC_AMOUNTS,
  tmcTripXml,
} from '../../helpers/access-world.js';
import { useTestContext } from '../../helpers/app-fixture.js';
import type { TestContext } from '../../helpers/test-app.js';
import { auth, createTrip } from '../../helpers/trip-requests.js';
import { getTripV4, V4_PATH, V4_SCOPE, v4Error, v4Token } from '../../helpers/v4-requests.js';

type Json = Record<string, unknown>;

let context: TestContext;
let world: AccessWorld;
let tmc: string;
let tripId: string;

useTestContext((given) => {
  context = given;
});
beforeAll(async () => {
  world = await seedAccessWorld(context);
  tmc = await v4Token(context, world.apps.tmc);
  const xml = tmcTripXml(world, 'Mixed', true);
  ({ tripId } = await createTrip(context.app, tmc, xml, {
    userid_type: 'login_id',
    userid_value: world.home.traveller.loginId,
  }));
});

describe('v4 reach', () => {
  it('lets the TMC that booked it read the whole trip', async () => {
    const response = await getTripV4(context.app, tmc, tripId);
    expect(response.statusCode, response.body).toBe(200);
    for (const amount of TMC_AMOUNTS) expect(response.body).toContain(String(Number(amount)));
    expect((response.json() as Json).UserLoginId).toBe(world.home.traveller.loginId);
  });

  it('lets a partner of the company read it', async () => {
    const partner = await v4Token(context, world.apps.partner);
    expect((await getTripV4(context.app, partner, tripId)).statusCode).toBe(200);
  });

  it('shows a TripLink supplier its own booking in full and only the TripLink subset of others', async () => {
    const supplier = await v4Token(context, world.apps.supplier);
    const response = await getTripV4(context.app, supplier, tripId);
    expect(response.statusCode, response.body).toBe(200);
    for (const amount of TMC_AMOUNTS) expect(response.body).not.toContain(String(Number(amount)));
    const bookings = (response.json() as { Bookings: Json[] }).Bookings;
    const own = bookings.find((b) => b.BookingSource === world.supplierSource);
    const other = bookings.find((b) => b.BookingSource === world.tmcSource);
    expect(own?.RecordLocator).toEqual(expect.any(String));
    expect(other).toBeDefined();
    expect(other).not.toHaveProperty('RecordLocator');
    const air = (other?.Segments as { Air: Json[] } | undefined)?.Air[0] ?? {};
    expect(air).not.toHaveProperty('StartGate');
    expect(air.StartDateLocal).toMatch(/T00:00:00\.000-00:00$/);
    expect(other?.Segments).not.toHaveProperty('Rail');
  });

  it('answers 404 to another agency’s TMC and to another company’s app', async () => {
    for (const app of [world.apps.otherAgencyTmc, world.apps.foreignTmc]) {
      const token = await v4Token(context, app);
      const message = v4Error(await getTripV4(context.app, token, tripId), 404);
      expect(message).toBe(`The trip '${tripId}' was not found.`);
    }
  });

  it('answers 404 in the v4 schema for an id that names no trip', async () => {
    for (const id of ['no-such-trip', 'x'.repeat(100), 'a\u0000b', tripId.toUpperCase()]) {
      const response = await getTripV4(context.app, tmc, id);
      expect(v4Error(response, 404)).toContain('was not found');
    }
  });
});

describe('v4 tokens', () => {
  it('refuses a user token (v4 takes company-level tokens only) with 403', async () => {
    const response = await context.app.inject({
      method: 'POST',
      url: '/oauth2/v0/token',
      payload: new URLSearchParams({
        grant_type: 'password',
        client_id: world.apps.tmc.clientId,
        client_secret: world.apps.tmc.clientSecret,
        username: world.home.admin.loginId,
        password: world.home.admin.password,
        scope: `ITINER ${V4_SCOPE}`,
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const user = (response.json() as { access_token: string }).access_token;
    const message = v4Error(await getTripV4(context.app, user, tripId), 403);
    expect(message).toContain('company-level');
    const list = await context.app.inject({ method: 'GET', url: V4_PATH, headers: auth(user) });
    expect(v4Error(list, 403)).toContain('company-level');
  });

  it('refuses a company token without travel.itinerary.read with 403', async () => {
    const itinerOnly = await companyToken(context, world.apps.tmc);
    const message = v4Error(await getTripV4(context.app, itinerOnly, tripId), 403);
    expect(message).toContain(`'${V4_SCOPE}'`);
  });

  it('answers 401 without a token, and 403 for a token that does not verify', async () => {
    const none = await context.app.inject({ method: 'GET', url: `${V4_PATH}/${tripId}` });
    expect(v4Error(none, 401)).toContain('Authorization');
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(v4Error(await getTripV4(context.app, 'not-a-token', tripId), 403)).toBeTruthy();
  });

  it('grants travel.itinerary.read only to apps holding ITINER, and only when asked', async () => {
    const plain = await companyToken(context, world.apps.tmc);
    const introspect = (token: string) =>
      JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >;
    const scopesOf = (token: string) =>
      introspect(token)['https://api.concursolutions.com/scopes'] as string[];
    expect(scopesOf(plain)).not.toContain(V4_SCOPE);
    expect(scopesOf(tmc)).toContain(V4_SCOPE);
    await expect(v4Token(context, world.apps.tmc, 'bogus.scope')).rejects.toThrow(
      /client_credentials failed/,
    );
    // The ESS scope comes the same way, so an ITINER app can subscribe to itinerary events.
    const withEvents = await v4Token(
      context,
      world.apps.tmc,
      `ITINER ${V4_SCOPE} events.topic.read`,
    );
    expect(scopesOf(withEvents)).toEqual(['ITINER', V4_SCOPE, 'events.topic.read']);
    const topics = await context.app.inject({
      method: 'GET',
      url: '/events/v4/topics',
      headers: { authorization: `Bearer ${withEvents}` },
    });
    expect(topics.statusCode).toBe(200);
    expect(JSON.stringify(topics.json())).toContain('public.concur.travel.itinerary');
  });
});
