/**
 * Two apps on one database, as two cluster workers (or two instances) are: failed sign-ins
 * spread over both count against one budget, so the refusal comes at the policy's attempt.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { useTestTenant } from '../helpers/app-fixture.js';
import type { Tenant, TestContext } from '../helpers/test-app.js';

let context: TestContext;
let tenant: Tenant;
let secondDatabase: DatabaseHandle;
let second: FastifyInstance;
// One frozen clock for both apps: a pause never runs out while the test runs.
const clock = () => 1_900_000_000_000;
useTestTenant({ build: { clock } }, (given) => {
  ({ context, tenant } = given);
});
beforeAll(async () => {
  secondDatabase = context.connectAgain();
  second = await buildApp(context.config, { database: secondDatabase, clock });
});
afterAll(async () => {
  await second?.close();
  await secondDatabase?.close();
});

function passwordGrant(app: FastifyInstance, password: string) {
  return app.inject({
    method: 'POST',
    url: '/oauth2/v0/token',
    payload: new URLSearchParams({
      grant_type: 'password',
      client_id: tenant.app.clientId,
      client_secret: tenant.app.clientSecret,
      username: tenant.traveller.loginId,
      password,
    }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

describe('the sign-in throttle across processes', () => {
  it('refuses the 6th attempt when failures alternate between two apps', async () => {
    const apps = [context.app, second];
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const app = apps[i % 2] as FastifyInstance;
      statuses.push((await passwordGrant(app, 'wrong-password')).statusCode);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
    // Refused on both, even with the right password.
    for (const app of apps) {
      expect((await passwordGrant(app, tenant.traveller.password)).statusCode).toBe(429);
    }
  });

  it('keeps no login id in clear in the failures table', async () => {
    const rows = await context.database.db.selectFrom('sign_in_failures').selectAll().execute();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const stored = JSON.stringify(rows).toLowerCase();
    expect(stored).not.toContain(tenant.traveller.loginId.toLowerCase());
    expect(stored).not.toContain(tenant.traveller.loginId.split('@')[0]?.toLowerCase());
    expect(stored).not.toContain(tenant.app.clientId.toLowerCase());
  });
});
