/**
 * Request limits of the itinerary endpoints per (app, company): RateLimit headers, 429 in the
 * Concur `<Error>` shape with Retry-After, the minute and hour windows, and two app instances on
 * one database sharing one budget. The limiter's clock is injected, so no test waits.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { seedDatabase, validateSeedFile } from '../../src/modules/accounts/seed/seed.service.js';
import { useTestContext } from '../helpers/app-fixture.js';
import { seedTenant, type Tenant, type TestContext, tokenFor } from '../helpers/test-app.js';
import { listTrips } from '../helpers/trip-requests.js';
import { parseXml, text } from '../helpers/xml-tree.js';

const PER_MINUTE = 5;
const PER_HOUR = 8;
// Ten seconds into a minute (and an hour): the minute window resets in 50 s, the hour in 3590 s.
const START = Date.UTC(2030, 0, 1, 0, 0, 10);
let now = START;
const clock = () => now;

let context: TestContext;

useTestContext(
  { config: { rateLimitPerMinute: PER_MINUTE, rateLimitPerHour: PER_HOUR }, build: { clock } },
  (given) => {
    context = given;
  },
);

/** A new tenant (its own app and company) and a traveller's token, at the start clock. */
async function freshCaller(): Promise<{ tenant: Tenant; token: string }> {
  now = START;
  const tenant = await seedTenant(context);
  return { tenant, token: await tokenFor(context, tenant, tenant.traveller) };
}

function limits(response: LightMyRequestResponse) {
  return {
    status: response.statusCode,
    limit: response.headers['ratelimit-limit'],
    remaining: response.headers['ratelimit-remaining'],
    reset: response.headers['ratelimit-reset'],
  };
}

async function spend(app: FastifyInstance, token: string, count: number) {
  for (let i = 0; i < count; i++) {
    const response = await listTrips(app, token);
    expect(response.statusCode, response.body).toBe(200);
  }
}

/**
 * Connects the tenant's app to a second company (with one user), and adds a second app
 * connected to the tenant's company.
 */
async function connectMore(tenant: Tenant) {
  const tag = randomUUID().slice(0, 8);
  const company = `More ${tag}`;
  const user = { loginId: `more-${tag}@example.com`, password: `pw-more-${tag}` };
  const otherApp = { clientId: `other-${tag}`, clientSecret: `secret-other-${tag}-0123456789` };
  const app = (clientId: string, clientSecret: string, companies: string[]) => ({
    clientId,
    clientSecret,
    name: `App ${clientId}`,
    kind: 'tmc' as const,
    scopes: ['openid', 'ITINER'],
    companies,
  });
  await seedDatabase(
    context.database.db,
    validateSeedFile({
      companies: [{ name: company, region: 'us' }],
      users: [{ ...user, company }],
      apps: [
        app(tenant.app.clientId, tenant.app.clientSecret, [tenant.company, company]),
        app(otherApp.clientId, otherApp.clientSecret, [tenant.company]),
      ],
    }),
  );
  return {
    company,
    user,
    app: { ...tenant, company },
    otherApp: { ...tenant, app: otherApp },
  };
}

async function companyToken(tenant: Tenant, app = context.app): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/oauth2/v0/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: tenant.app.clientId,
      client_secret: tenant.app.clientSecret,
    }).toString(),
  });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { access_token: string }).access_token;
}

describe('itinerary rate limits', () => {
  it('counts down RateLimit-Remaining, then answers 429 with Retry-After and an <Error>', async () => {
    const { token } = await freshCaller();
    for (let i = 0; i < PER_MINUTE; i++) {
      const response = await listTrips(context.app, token);
      expect(limits(response)).toEqual({
        status: 200,
        limit: String(PER_MINUTE),
        remaining: String(PER_MINUTE - 1 - i),
        reset: '50',
      });
      expect(response.headers['ratelimit-policy']).toBe(`${PER_MINUTE};w=60, ${PER_HOUR};w=3600`);
    }
    const refused = await listTrips(context.app, token);
    expect(limits(refused)).toEqual({ status: 429, limit: '5', remaining: '0', reset: '50' });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers['content-type']).toMatch(/^application\/xml/);
    const error = parseXml(refused.body);
    expect(error.name).toBe('Error');
    expect(text(error, 'Code')).toBe('rate_limited');
    expect(text(error, 'Message')).toMatch(/retry in 50 seconds/);
  });

  it('limits every itinerary endpoint, and refused requests do not count', async () => {
    const { token } = await freshCaller();
    await spend(context.app, token, PER_MINUTE);
    const details = await context.app.inject({
      method: 'GET',
      url: '/api/travel/trip/v1.1/no-such-trip',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(details.statusCode).toBe(429);
    now += 60_000;
    const next = await listTrips(context.app, token);
    expect(limits(next)).toMatchObject({ status: 200, remaining: '2' });
  });

  it('keeps one budget per (app, company): another company or another app is unaffected', async () => {
    const { tenant, token } = await freshCaller();
    const more = await connectMore(tenant);
    await spend(context.app, token, PER_MINUTE);
    expect((await listTrips(context.app, token)).statusCode).toBe(429);
    const sameAppOtherCompany = await tokenFor(context, more.app, more.user);
    expect(limits(await listTrips(context.app, sameAppOtherCompany))).toMatchObject({
      status: 200,
      remaining: '4',
    });
    const otherAppSameCompany = await tokenFor(context, more.otherApp, tenant.traveller);
    expect(limits(await listTrips(context.app, otherAppSameCompany))).toMatchObject({
      status: 200,
      remaining: '4',
    });
  });

  it("counts a company token's calls with its company's user tokens", async () => {
    const { tenant, token } = await freshCaller();
    await spend(context.app, token, 3);
    const company = await companyToken(tenant);
    expect(limits(await listTrips(context.app, company))).toMatchObject({ remaining: '1' });
  });

  it('counts a token of several companies against the first company in id order', async () => {
    const { tenant } = await freshCaller();
    const more = await connectMore(tenant);
    const ids = await context.database.db
      .selectFrom('companies')
      .select(['id', 'name'])
      .where('name', 'in', [tenant.company, more.company])
      .orderBy('id')
      .execute();
    const firstCompanyUser = ids[0]?.name === tenant.company ? tenant.traveller : more.user;
    const userToken = await tokenFor(context, tenant, firstCompanyUser);
    await spend(context.app, userToken, 2);
    const company = await companyToken(tenant);
    expect(limits(await listTrips(context.app, company))).toMatchObject({ remaining: '2' });
  });

  it('starts afresh when the minute window ends', async () => {
    const { token } = await freshCaller();
    await spend(context.app, token, PER_MINUTE);
    now += 49_999;
    expect(limits(await listTrips(context.app, token))).toMatchObject({ status: 429, reset: '1' });
    now += 1;
    // The hour has 3 of its 8 left: it is now the tighter window.
    expect(limits(await listTrips(context.app, token))).toEqual({
      status: 200,
      limit: String(PER_HOUR),
      remaining: '2',
      reset: '3540',
    });
  });

  it('applies the hour limit independently of the minute limit', async () => {
    const { token } = await freshCaller();
    await spend(context.app, token, PER_MINUTE);
    now += 60_000;
    await spend(context.app, token, PER_HOUR - PER_MINUTE);
    const refused = await listTrips(context.app, token);
    expect(limits(refused)).toEqual({ status: 429, limit: '8', remaining: '0', reset: '3530' });
    expect(refused.headers['retry-after']).toBe('3530');
    now += 10 * 60_000;
    expect((await listTrips(context.app, token)).statusCode).toBe(429);
    now = START + 3_590_000;
    expect(limits(await listTrips(context.app, token))).toMatchObject({
      status: 200,
      limit: '5',
      remaining: '4',
    });
  });

  it('holds two app instances on the same database to one limit once they have flushed', async () => {
    const { token } = await freshCaller();
    const second = await buildApp(context.config, { database: context.database, clock });
    try {
      await spend(context.app, token, 3);
      await context.app.rateLimiter.flush();
      // The second instance has not seen the first one's counts yet: it allows two more.
      await spend(second, token, 2);
      await second.rateLimiter.flush();
      expect((await listTrips(second, token)).statusCode).toBe(429);
      await context.app.rateLimiter.flush();
      expect(limits(await listTrips(context.app, token))).toMatchObject({ status: 429 });
      // The next minute (START is 10 s into one) is shared as well.
      now += 50_000;
      await spend(context.app, token, 2);
      await context.app.rateLimiter.flush();
      await second.rateLimiter.flush();
      expect(limits(await listTrips(second, token))).toMatchObject({
        status: 200,
        limit: String(PER_HOUR),
        remaining: '0',
      });
    } finally {
      await second.close();
    }
  });

  it('sends no RateLimit headers and refuses nothing when both limits are 0', async () => {
    const { token } = await freshCaller();
    const unlimited = await buildApp(
      { ...context.config, rateLimitPerMinute: 0, rateLimitPerHour: 0 },
      { database: context.database, clock },
    );
    try {
      for (let i = 0; i < PER_HOUR + 2; i++) {
        const response = await listTrips(unlimited, token);
        expect(response.statusCode).toBe(200);
        expect(response.headers['ratelimit-limit']).toBeUndefined();
      }
    } finally {
      await unlimited.close();
    }
  });

  it('with the hour limit at 0, only the minute limit applies', async () => {
    const { token } = await freshCaller();
    const minuteOnly = await buildApp(
      { ...context.config, rateLimitPerHour: 0 },
      { database: context.database, clock },
    );
    try {
      const response = await listTrips(minuteOnly, token);
      expect(response.headers['ratelimit-policy']).toBe(`${PER_MINUTE};w=60`);
      for (let minute = 0; minute < 3; minute++) {
        now = START + minute * 60_000;
        await spend(minuteOnly, token, minute === 0 ? PER_MINUTE - 1 : PER_MINUTE);
        expect((await listTrips(minuteOnly, token)).statusCode).toBe(429);
      }
    } finally {
      await minuteOnly.close();
    }
  });

  it('does not limit the token endpoint or GET /users', async () => {
    const { tenant } = await freshCaller();
    const admin = await tokenFor(context, tenant, tenant.admin);
    for (let i = 0; i < PER_MINUTE + 2; i++) {
      const users = await context.app.inject({
        method: 'GET',
        url: '/users',
        headers: { authorization: `Bearer ${admin}` },
      });
      expect(users.statusCode).toBe(200);
      expect(users.headers['ratelimit-limit']).toBeUndefined();
      await tokenFor(context, tenant, tenant.traveller);
    }
    // Seven password sign-ins (scrypt each) took 14-20 s on a loaded 2-core machine.
  }, 60_000);
});
