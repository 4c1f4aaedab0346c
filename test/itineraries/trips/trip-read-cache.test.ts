/**
 * Trips are kept for their details until the data they were read from changes
 * (store/trip-read-cache.ts): every write shows in the next GET, who may read a kept trip is
 * still decided on each request, each base URL gets its own links, and a kept trip really is
 * answered again (a write that bypasses the version shows only where the version is the
 * database's own snapshot).
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../helpers/app-fixture.js';
import { seedTenant, type TestContext, testDialect, tokenFor } from '../../helpers/test-app.js';
import {
  cancelTrip,
  createTrip,
  dayAt,
  getTrip,
  postTrip,
  tripXml,
} from '../../helpers/trip-requests.js';
import { getTripV4, v4Token } from '../../helpers/v4-requests.js';
import { parseXml, text } from '../../helpers/xml-tree.js';
import { anonymize } from '../erase/erase-requests.js';

let context: TestContext;
let token: string;
let adminToken: string;
let otherToken: string;
let travellerLogin: string;
let companyToken: string;

useTestApp(async (given) => {
  ({ context, token } = given);
  companyToken = await v4Token(context, given.tenant.app);
  adminToken = await tokenFor(context, given.tenant, given.tenant.admin);
  otherToken = await tokenFor(context, given.tenant, given.tenant.otherTraveller);
  travellerLogin = given.tenant.traveller.loginId;
});

const body = (name: string, locator = 'KEPT1') =>
  tripXml({
    name,
    bookings: [{ locator, segments: [{ start: dayAt(3), end: dayAt(4) }] }],
  });

/** The trip's details as `asToken` gets them: status, body, name, status of the trip, ETag. */
async function details(asToken: string, tripId: string, headers: Record<string, string> = {}) {
  const response = await getTrip(context.app, asToken, tripId, {}, headers);
  const doc = response.statusCode === 200 ? parseXml(response.body) : undefined;
  return {
    status: response.statusCode,
    body: response.body,
    etag: response.headers.etag,
    name: doc && text(doc, 'TripName'),
    tripStatus: doc && text(doc, 'TripStatus'),
  };
}

describe('kept trips', () => {
  let tripId: string;
  beforeAll(async () => {
    tripId = (await createTrip(context.app, token, body('Kept trip'))).tripId;
  });

  it('shows every write of the trip in the next GET', async () => {
    const first = await details(token, tripId);
    expect(first.name).toBe('Kept trip');
    const again = await details(token, tripId);
    expect(again.body).toBe(first.body);
    expect(again.etag).toBe(first.etag);

    const updated = await postTrip(context.app, token, body('Renamed kept trip'), { tripId });
    expect(updated.statusCode, updated.body).toBe(200);
    const afterUpdate = await details(token, tripId);
    expect(afterUpdate.name).toBe('Renamed kept trip');
    expect(afterUpdate.etag).not.toBe(first.etag);
    expect(afterUpdate.body).toBe(updated.body);

    // A write of another trip moves the version too: the kept trip is read again, unchanged.
    await createTrip(context.app, token, body('Another trip', 'KEPT2'));
    expect((await details(token, tripId)).body).toBe(afterUpdate.body);
  });

  it('answers 304 to the ETag of a kept trip, and 200 once it changed', async () => {
    const current = await details(token, tripId);
    const notModified = await getTrip(
      context.app,
      token,
      tripId,
      {},
      {
        'if-none-match': String(current.etag),
      },
    );
    expect(notModified.statusCode).toBe(304);
    expect((await cancelTrip(context.app, token, tripId)).statusCode).toBe(200);
    const changed = await details(token, tripId, { 'if-none-match': String(current.etag) });
    expect(changed.status).toBe(200);
    expect(changed.tripStatus).toBe('2');
  });

  it('decides on each request who may read a kept trip', async () => {
    const own = await details(token, tripId);
    expect(own.status).toBe(200);
    // The same kept row, other callers: a colleague may not, an administrator may, another
    // company's traveller does not even learn that it exists.
    expect((await details(otherToken, tripId)).status).toBe(403);
    const asAdmin = await getTrip(context.app, adminToken, tripId, {
      userid_type: 'login',
      userid_value: travellerLogin,
    });
    expect(asAdmin.statusCode).toBe(200);
    expect(asAdmin.body).toContain(`<UserLoginId>${travellerLogin}</UserLoginId>`);
    expect(own.body).not.toContain('<UserLoginId>');
    const stranger = await seedTenant(context);
    const strangerToken = await tokenFor(context, stranger, stranger.traveller);
    expect((await details(strangerToken, tripId)).status).toBe(404);
    // And the traveller's own answer is still the kept one.
    expect((await details(token, tripId)).body).toBe(own.body);
  });

  it('links each base URL to itself', async () => {
    const here = await details(token, tripId);
    const there = await details(token, tripId, { host: 'itinera.example:8443' });
    expect(there.status).toBe(200);
    expect(there.body).toContain('http://itinera.example:8443/api/travel/trip/v1.1/');
    expect(here.body).not.toContain('itinera.example');
    expect((await details(token, tripId)).body).toBe(here.body);
  });

  it('shows every write in the next v4 GET, in JSON, linked to each base URL', async () => {
    const v4 = async (headers: Record<string, string> = {}) => {
      const response = await context.app.inject({
        method: 'GET',
        url: `/travel/v4/trips/${tripId}`,
        headers: {
          authorization: `Bearer ${companyToken}`,
          accept: 'application/json',
          ...headers,
        },
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      return response.body;
    };
    const first = await v4();
    expect(JSON.parse(first).TripName).toBe((await details(token, tripId)).name);
    expect(await v4()).toBe(first);
    expect((await getTripV4(context.app, companyToken, tripId)).body).toBe(first);
    const there = await v4({ host: 'itinera.example:8443' });
    expect(there).toContain('http://itinera.example:8443/');
    expect(first).not.toContain('itinera.example');

    const renamed = await postTrip(context.app, token, body('Renamed for v4'), { tripId });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(JSON.parse(await v4()).TripName).toBe('Renamed for v4');
  });

  it('answers a kept trip again until the version changes', async () => {
    const kept = await details(token, tripId);
    // Not a write any code path makes: it leaves no change row, so only a version that any
    // commit moves (PostgreSQL's snapshot) sees it; SQLite's trips version does not.
    await sql`update trips set rendering = replace(rendering, ${kept.name ?? ''}, 'Unversioned') where id = ${tripId}`.execute(
      context.database.db,
    );
    const again = await details(token, tripId);
    expect(again.name).toBe(testDialect() === 'sqlite' ? kept.name : 'Unversioned');
    // The next versioned write ends the kept trip.
    await createTrip(context.app, token, body('Moves the version', 'KEPT3'));
    expect((await details(token, tripId)).name).toBe('Unversioned');
  });

  it('shows an anonymized traveller at once', async () => {
    const named = tripXml({
      name: 'Named trip',
      bookings: [
        {
          locator: 'KEPT4',
          segments: [{ start: dayAt(8), end: dayAt(9) }],
          extra:
            '<Passengers><Passenger><NameFirst>Chris</NameFirst><NameLast>Miller</NameLast></Passenger></Passengers>',
        },
      ],
    });
    const namedId = (await createTrip(context.app, token, named)).tripId;
    expect((await details(token, namedId)).body).toContain('<NameLast>Miller</NameLast>');
    const asAdmin = await details(adminToken, namedId);
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body).toContain('<NameLast>Miller</NameLast>');

    const response = await anonymize(context.app, adminToken, { loginId: travellerLogin });
    expect(response.statusCode, response.body).toBe(200);
    const after = await details(adminToken, namedId);
    expect(after.status).toBe(200);
    expect(after.body).not.toContain('Miller');
    expect(after.body).toContain('<NameLast>Traveller</NameLast>');
  });
});
