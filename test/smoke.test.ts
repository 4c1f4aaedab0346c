import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  sample,
  seedTenant,
  type Tenant,
  type TestContext,
  tokenFor,
} from './helpers/test-app.js';

let context: TestContext;
let tenant: Tenant;
let token: string;

beforeAll(async () => {
  context = await buildTestApp();
  tenant = await seedTenant(context);
  token = await tokenFor(context, tenant, tenant.traveller);
});
afterAll(() => context.close());

describe('smoke', () => {
  it('posts the TMC guide sample and reads it back', async () => {
    const post = await context.app.inject({
      method: 'POST',
      url: '/api/travel/trip/v1.1',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
      payload: sample('tmc-guide-post-trip-request.xml'),
    });
    console.log(post.statusCode, post.body.slice(0, 3000));
    expect(post.statusCode).toBe(200);
  });
});
