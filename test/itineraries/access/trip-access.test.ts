/**
 * Who may read and change which trip (SPEC §1.1, §3): travellers their own trips only (403 for
 * a colleague's), nobody another company's (404), administrators any user's trip through
 * `userid_type`/`userid_value` and every user's with `userid_value=ALL`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../helpers/app-fixture.js';
import { seedTenant, type Tenant, type TestContext, tokenFor } from '../../helpers/test-app.js';
import {
  cancelTrip,
  createTrip,
  everyTripId,
  expectError,
  getTrip,
  infos,
  listedTripIds,
  listTrips,
  postTrip,
  simpleTrip,
} from '../../helpers/trip-requests.js';
import { parseXml, text } from '../../helpers/xml-tree.js';

let context: TestContext;
let tenant: Tenant;
let foreign: Tenant;
const tokens: Record<'traveller' | 'other' | 'admin' | 'foreign' | 'foreignAdmin', string> = {
  traveller: '',
  other: '',
  admin: '',
  foreign: '',
  foreignAdmin: '',
};
let guarded: string;
let othersTrip: string;
let foreignTrip: string;
let counter = 0;

const newTrip = (label: string) => simpleTrip(`${label}${++counter}`, 2, 4);

useTestApp((given) => {
  ({ context, tenant, token: tokens.traveller } = given);
});
beforeAll(async () => {
  foreign = await seedTenant(context);
  tokens.other = await tokenFor(context, tenant, tenant.otherTraveller);
  tokens.admin = await tokenFor(context, tenant, tenant.admin);
  tokens.foreign = await tokenFor(context, foreign, foreign.traveller);
  tokens.foreignAdmin = await tokenFor(context, foreign, foreign.admin);
  guarded = (await createTrip(context.app, tokens.traveller, newTrip('guarded'))).tripId;
  othersTrip = (await createTrip(context.app, tokens.other, newTrip('others'))).tripId;
  foreignTrip = (await createTrip(context.app, tokens.foreign, newTrip('foreign'))).tripId;
});

const as = (loginId: string, type = 'login') => ({ userid_type: type, userid_value: loginId });

async function guardedState() {
  return (await getTrip(context.app, tokens.traveller, guarded)).body;
}

describe('Trip v1.1 access between users', () => {
  it('returns 403 when a traveller reads, updates or cancels a colleague’s trip, and changes nothing', async () => {
    const before = await guardedState();
    expectError(await getTrip(context.app, tokens.other, guarded), 403);
    expectError(
      await postTrip(context.app, tokens.other, newTrip('hijack'), { tripId: guarded }),
      403,
    );
    expectError(await cancelTrip(context.app, tokens.other, guarded), 403);
    expect(await guardedState()).toBe(before);
    expect(await everyTripId(context.app, tokens.other)).toEqual([othersTrip]);
  });

  it('returns 404 when another company’s traveller or admin reads, updates or cancels the trip', async () => {
    const before = await guardedState();
    for (const token of [tokens.foreign, tokens.foreignAdmin]) {
      expectError(await getTrip(context.app, token, guarded), 404);
      expectError(await postTrip(context.app, token, newTrip('foreign'), { tripId: guarded }), 404);
      expectError(await cancelTrip(context.app, token, guarded), 404);
    }
    expect(await guardedState()).toBe(before);
  });

  it('returns 403 when a non-admin acts for another user with userid_value, and writes nothing', async () => {
    const before = await everyTripId(context.app, tokens.other);
    const forOther = as(tenant.otherTraveller.loginId, 'login_id');
    expectError(await postTrip(context.app, tokens.traveller, newTrip('sneaky'), forOther), 403);
    expectError(await listTrips(context.app, tokens.traveller, forOther), 403);
    expectError(await getTrip(context.app, tokens.traveller, othersTrip, forOther), 403);
    expectError(
      await postTrip(context.app, tokens.traveller, newTrip('x'), {
        tripId: othersTrip,
        ...forOther,
      }),
      403,
    );
    expectError(await cancelTrip(context.app, tokens.traveller, othersTrip, forOther), 403);
    expect(await everyTripId(context.app, tokens.other)).toEqual(before);
  });

  it('returns 200 when a traveller names themself with userid_value', async () => {
    const response = await listTrips(context.app, tokens.traveller, as(tenant.traveller.loginId));
    expect(response.statusCode).toBe(200);
    expect(infos(parseXml(response.body)).map((i) => text(i, 'TripId'))).toContain(guarded);
  });

  it('returns 200 when an admin reads a user’s trip with userid_type login or login_id', async () => {
    for (const type of ['login', 'login_id']) {
      const response = await getTrip(
        context.app,
        tokens.admin,
        guarded,
        as(tenant.traveller.loginId, type),
      );
      expect(response.statusCode, response.body).toBe(200);
      expect(text(parseXml(response.body), 'TripId')).toBe(guarded);
    }
  });

  it('returns 200 when an admin creates a trip for a user, and the trip is the user’s', async () => {
    const before = await everyTripId(context.app, tokens.admin);
    const { tripId } = await createTrip(
      context.app,
      tokens.admin,
      newTrip('byAdmin'),
      as(tenant.traveller.loginId, 'login_id'),
    );
    expect(await everyTripId(context.app, tokens.traveller)).toContain(tripId);
    expect(await everyTripId(context.app, tokens.admin)).toEqual(before);
    expect((await getTrip(context.app, tokens.traveller, tripId)).statusCode).toBe(200);
  });

  it('returns 200 when an admin updates and cancels a user’s trip, which stays the user’s', async () => {
    const { tripId } = await createTrip(context.app, tokens.traveller, newTrip('managed'));
    const user = as(tenant.traveller.loginId, 'login_id');
    const update = await postTrip(
      context.app,
      tokens.admin,
      simpleTrip('Renamed by admin', 2, 5, 'Car', `MGD${counter}`),
      {
        tripId,
        ...user,
      },
    );
    expect(update.statusCode, update.body).toBe(200);
    const read = parseXml((await getTrip(context.app, tokens.traveller, tripId)).body);
    expect(text(read, 'TripName')).toBe('Renamed by admin');
    const cancel = await cancelTrip(context.app, tokens.admin, tripId, user);
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(
      text(parseXml((await getTrip(context.app, tokens.traveller, tripId)).body), 'TripStatus'),
    ).toBe('2');
    expect(await everyTripId(context.app, tokens.traveller)).toContain(tripId);
  });

  it('returns 404 when an admin names an unknown user or one of another company, and writes nothing', async () => {
    const before = await everyTripId(context.app, tokens.traveller);
    for (const loginId of ['nobody@example.com', foreign.traveller.loginId]) {
      const user = as(loginId, 'login_id');
      expectError(
        await postTrip(context.app, tokens.admin, newTrip('ghost'), user),
        404,
        /nobody|foreign|traveller/,
      );
      expectError(await listTrips(context.app, tokens.admin, user), 404);
      expectError(await getTrip(context.app, tokens.admin, guarded, user), 404);
      expectError(await cancelTrip(context.app, tokens.admin, guarded, user), 404);
    }
    expect(await everyTripId(context.app, tokens.traveller)).toEqual(before);
    expect((await getTrip(context.app, tokens.foreign, foreignTrip)).statusCode).toBe(200);
  });

  it('returns 400 when userid_value comes without a valid userid_type', async () => {
    expectError(
      await listTrips(context.app, tokens.admin, { userid_value: tenant.traveller.loginId }),
      400,
      /userid_type/,
    );
    expectError(
      await listTrips(context.app, tokens.admin, as(tenant.traveller.loginId, 'email')),
      400,
      /userid_type/,
    );
  });
});

describe('GET /api/travel/trip/v1.1 across users', () => {
  it('returns 200 with every user’s trips of the company for an admin with userid_value=ALL', async () => {
    for (const type of ['login', 'login_id']) {
      const doc = parseXml((await listTrips(context.app, tokens.admin, as('ALL', type))).body);
      const owners = Object.fromEntries(
        infos(doc).map((i) => [text(i, 'TripId'), text(i, 'UserLoginId')]),
      );
      expect(owners[guarded]).toBe(tenant.traveller.loginId);
      expect(owners[othersTrip]).toBe(tenant.otherTraveller.loginId);
      expect(owners).not.toHaveProperty(foreignTrip);
    }
  });

  it('returns 403 for userid_value=ALL without an admin role', async () => {
    expectError(await listTrips(context.app, tokens.traveller, as('ALL')), 403);
  });

  it('returns 200 with UserLoginId only for admin callers', async () => {
    const own = parseXml((await listTrips(context.app, tokens.traveller)).body);
    expect(infos(own).length).toBeGreaterThan(0);
    for (const info of infos(own)) expect(text(info, 'UserLoginId')).toBeUndefined();
    const byAdmin = parseXml(
      (await listTrips(context.app, tokens.admin, as(tenant.traveller.loginId))).body,
    );
    expect(infos(byAdmin).length).toBe(infos(own).length);
    for (const info of infos(byAdmin))
      expect(text(info, 'UserLoginId')).toBe(tenant.traveller.loginId);
  });

  it('returns 200 with only the caller’s own trips without userid_*', async () => {
    expect(await listedTripIds(context.app, tokens.other)).toEqual([othersTrip]);
    expect(await listedTripIds(context.app, tokens.foreign)).toEqual([foreignTrip]);
  });
});
