/**
 * `GET /users` (SPEC §2.9): the TMC guide's user look-up, its JSON in the shape of the guide's
 * sample (`total` a string, `companyinfo`, `Items`, the `Emails` object).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app-fixture.js';
import { sample } from '../helpers/reference-files.js';
import { seedTenant, type Tenant, type TestContext, tokenFor } from '../helpers/test-app.js';

let context: TestContext;
let tenant: Tenant;
let other: Tenant;
let adminToken: string;
let travellerToken: string;

useTestApp({ user: 'admin' }, (given) => {
  ({ context, tenant, token: adminToken } = given);
});
beforeAll(async () => {
  other = await seedTenant(context);
  travellerToken = await tokenFor(context, tenant, tenant.traveller);
});

/**
 * The TMC guide's sample answer, which is not valid JSON as published (SPEC §0.1): its `\ `
 * escape and the quote and comma missing after `"Last` are repaired.
 */
function tmcGuideSample() {
  const text = sample('tmc-guide-users-by-primaryemail-response.json')
    .replace('\\ ', ' ')
    .replace('"Last\n', '"Last",\n');
  return JSON.parse(text);
}

/** Each value replaced by its JSON type ('string', 'number', 'boolean', 'null'), keys kept. */
function shapeOf(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.map(shapeOf);
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v)]));
  }
  return typeof value;
}

function lookup(query: string, token = adminToken) {
  return context.app.inject({
    method: 'GET',
    url: `/users${query}`,
    headers: { authorization: `Bearer ${token}` },
  });
}

describe('GET /users', () => {
  it('returns 200 with the user of a login id, in the TMC guide shape', async () => {
    const response = await lookup(`?loginid=${tenant.traveller.loginId.toUpperCase()}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      total: '1',
      offset: 0,
      limit: 100,
      companyinfo: { name: tenant.company },
    });
    expect(body.Items).toHaveLength(1);
    expect(body.Items[0]).toMatchObject({
      Active: true,
      LoginID: tenant.traveller.loginId,
      FirstName: 'Chris',
      LastName: 'Miller',
    });
    expect(body.Items[0].ID).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("returns 200 with the TMC guide sample's keys, key order and value types", async () => {
    const expected = tmcGuideSample();
    const body = (await lookup(`?loginid=${tenant.traveller.loginId}`)).json();
    expect(shapeOf(body)).toEqual({
      ...(shapeOf(expected) as object),
      Items: [shapeOf(body.Items[0])],
    });
    // EmployeeID is a number in the sample; Itinera holds none and answers null.
    expect(shapeOf(body.Items[0])).toEqual({
      ...(shapeOf(expected.Items[0]) as object),
      EmployeeID: 'null',
    });
    expect(Object.keys(body)).toEqual(Object.keys(expected));
    expect(Object.keys(body.Items[0])).toEqual(Object.keys(expected.Items[0]));
    expect(Object.keys(body.Items[0].Emails)).toEqual(Object.keys(expected.Items[0].Emails));
  });

  it('finds by primary e-mail, case-insensitively', async () => {
    await context.database.db
      .updateTable('users')
      .set({ email: 'Chris.Miller@Example.com' })
      .where('login_id', '=', tenant.traveller.loginId)
      .execute();
    const body = (await lookup('?primaryemail=chris.miller@example.COM')).json();
    expect(body.Items.map((u: { LoginID: string }) => u.LoginID)).toEqual([
      tenant.traveller.loginId,
    ]);
    expect(body.Items[0].PrimaryEmail).toBe('Chris.Miller@Example.com');
  });

  it('pages through the company with offset and limit, and filters on isactive', async () => {
    const all = (await lookup('?isActive=true')).json();
    expect(all.total).toBe('3');
    const first = (await lookup('?offset=0&limit=2')).json();
    const second = (await lookup('?offset=2&limit=2')).json();
    expect(first.Items).toHaveLength(2);
    expect(second.Items).toHaveLength(1);
    const ids = [...first.Items, ...second.Items].map((u: { ID: string }) => u.ID);
    expect(new Set(ids).size).toBe(3);
    expect((await lookup('?isactive=false')).json().total).toBe('0');
  });

  it('never shows users of another company', async () => {
    const body = (await lookup(`?loginid=${other.traveller.loginId}`)).json();
    expect(body.total).toBe('0');
    expect(body.Items).toEqual([]);
  });

  it('returns 403 for a traveller and 401 without a token, as JSON', async () => {
    const forbidden = await lookup('', travellerToken);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toMatchObject({ error: 'forbidden' });
    const anonymous = await context.app.inject({ method: 'GET', url: '/users' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().correlationId).toBe(anonymous.headers['concur-correlationid']);
  });

  it('returns 400 for a limit over 100, a negative offset or a bad isactive', async () => {
    for (const query of ['?limit=101', '?limit=0', '?offset=-1', '?isactive=maybe']) {
      expect((await lookup(query)).statusCode).toBe(400);
    }
  });
});
