/**
 * Whole list pages are kept until the data they were read from changes
 * (store/versioned-cache.ts): every trip write and every change to a listed traveller's profile,
 * through any code path, shows in the next list; callers who see a page differently never share
 * it; and a kept page really is answered again (a write that bypasses the version shows only
 * where the version is the database's own snapshot).
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../helpers/app-fixture.js';
import { type TestContext, testDialect, tokenFor } from '../../helpers/test-app.js';
import {
  cancelTrip,
  createTrip,
  dayAt,
  infos,
  listTrips,
  postTrip,
  tripXml,
} from '../../helpers/trip-requests.js';
import { parseXml, text } from '../../helpers/xml-tree.js';
import { anonymize } from '../erase/erase-requests.js';

let context: TestContext;
let token: string;
let adminToken: string;
let travellerLogin: string;

useTestApp(async (given) => {
  ({ context, token } = given);
  adminToken = await tokenFor(context, given.tenant, given.tenant.admin);
  travellerLogin = given.tenant.traveller.loginId;
});

const PAGED = { includeMetadata: 'true', ItemsPerPage: '50', Page: '1' };
const COMPANY_WIDE = { ...PAGED, userid_type: 'login', userid_value: 'ALL' };

const body = (name: string, day = 3) =>
  tripXml({
    name,
    bookings: [{ locator: `LC${day}`, segments: [{ start: dayAt(day), end: dayAt(day + 1) }] }],
  });

/** The listed trips of a page: name, status and traveller names, by trip id. */
async function page(asToken: string, query: Record<string, string>) {
  const response = await listTrips(context.app, asToken, query);
  expect(response.statusCode, response.body).toBe(200);
  const doc = parseXml(response.body);
  const trips = new Map(
    infos(doc).map((info) => [
      text(info, 'TripId'),
      {
        name: text(info, 'TripName'),
        login: info.children.some((c) => c.name === 'UserLoginId')
          ? text(info, 'UserLoginId')
          : undefined,
        first: text(info, 'TravelerFirst'),
        last: text(info, 'TravelerLast'),
      },
    ]),
  );
  return { body: response.body, trips, total: Number(text(doc, 'TotalItems')) };
}

describe('kept list pages', () => {
  let tripId: string;
  beforeAll(async () => {
    tripId = (await createTrip(context.app, token, body('Kept page'))).tripId;
  });

  it('shows every trip write in the next list', async () => {
    const before = await page(token, PAGED);
    expect(before.trips.get(tripId)?.name).toBe('Kept page');
    expect((await page(token, PAGED)).body).toBe(before.body);

    const added = (await createTrip(context.app, token, body('Added later', 5))).tripId;
    const afterCreate = await page(token, PAGED);
    expect(afterCreate.trips.has(added)).toBe(true);
    expect(afterCreate.total).toBe(before.total + 1);

    const updated = await postTrip(context.app, token, body('Renamed trip', 5), { tripId: added });
    expect(updated.statusCode, updated.body).toBe(200);
    expect((await page(token, PAGED)).trips.get(added)?.name).toBe('Renamed trip');

    expect((await cancelTrip(context.app, token, added)).statusCode).toBe(200);
    const afterCancel = await page(token, PAGED);
    expect(afterCancel.trips.has(added)).toBe(false);
    expect(afterCancel.total).toBe(before.total);
  });

  it('shows a traveller renamed by any code path, even straight in SQL', async () => {
    const listed = await page(adminToken, COMPANY_WIDE);
    expect(listed.trips.get(tripId)?.login).toBe(travellerLogin);
    await sql`update users set first_name = 'Renamed', last_name = 'In SQL' where login_id = ${travellerLogin}`.execute(
      context.database.db,
    );
    const renamed = (await page(adminToken, COMPANY_WIDE)).trips.get(tripId);
    expect(renamed?.first).toBe('Renamed');
    expect(renamed?.last).toBe('In SQL');
  });

  it('never hands one caller the page another sees differently', async () => {
    // Same trips, same window: the administrator's items name the traveller's login id.
    const forTraveller = { ...PAGED, userid_type: 'login', userid_value: travellerLogin };
    const own = await page(token, PAGED);
    const asAdmin = await page(adminToken, forTraveller);
    expect([...own.trips.keys()]).toEqual([...asAdmin.trips.keys()]);
    expect(own.trips.get(tripId)?.login).toBeUndefined();
    expect(asAdmin.trips.get(tripId)?.login).toBe(travellerLogin);
    expect((await page(token, PAGED)).trips.get(tripId)?.login).toBeUndefined();
  });

  it('answers a kept page again until the version changes', async () => {
    const kept = await page(token, PAGED);
    // Not a write any code path makes: it leaves no change row, so only a version that any
    // commit moves (PostgreSQL's snapshot) sees it; SQLite's trips version does not.
    await sql`update trips set name = 'Unversioned' where id = ${tripId}`.execute(
      context.database.db,
    );
    const again = await page(token, PAGED);
    expect(again.trips.get(tripId)?.name).toBe(
      testDialect() === 'sqlite' ? kept.trips.get(tripId)?.name : 'Unversioned',
    );
    // The next versioned write ends the kept page.
    await createTrip(context.app, token, body('Moves the version', 7));
    expect((await page(token, PAGED)).trips.get(tripId)?.name).toBe('Unversioned');
  });

  it('shows an anonymized traveller at once', async () => {
    const loginId = travellerLogin;
    const listed = await page(adminToken, COMPANY_WIDE);
    expect(listed.trips.get(tripId)?.login).toBe(loginId);
    const response = await anonymize(context.app, adminToken, { loginId });
    expect(response.statusCode, response.body).toBe(200);
    const after = await page(adminToken, COMPANY_WIDE);
    expect(after.body).not.toContain(loginId);
    expect(after.body).not.toContain('Renamed');
  });
});
