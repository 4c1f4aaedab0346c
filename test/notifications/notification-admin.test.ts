/**
 * GET /api/company/v1.0/notifications and POST …/notifications/{id}/resend: an app's recent
 * deliveries for its administrators, and the resend of a dead one.
 */
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AccessWorld,
  companyToken,
  seedAccessWorld,
  tmcTripXml,
  userToken,
} from '../helpers/access-world.js';
import { useTestContext } from '../helpers/app-fixture.js';
import { appIdOf, COMPANY_PATH, setPostbackUrl, subscribe } from '../helpers/notification-world.js';
import type { TestContext } from '../helpers/test-app.js';
import { auth, createTrip } from '../helpers/trip-requests.js';

interface Item {
  id: string;
  tripId: string;
  eventType: string;
  status: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  expiresAt: string;
}
interface Page {
  items: Item[];
  next: string | null;
}

let context: TestContext;
let world: AccessWorld;
let admin: string;
let tmcId: string;
const tripIds: string[] = [];

function list(token: string, query = ''): Promise<LightMyRequestResponse> {
  return context.app.inject({
    method: 'GET',
    url: `${COMPANY_PATH}/notifications${query}`,
    headers: auth(token),
  });
}

function resend(token: string, id: string): Promise<LightMyRequestResponse> {
  return context.app.inject({
    method: 'POST',
    url: `${COMPANY_PATH}/notifications/${encodeURIComponent(id)}/resend`,
    headers: auth(token),
  });
}

async function page(token: string, query = ''): Promise<Page> {
  const response = await list(token, query);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Page;
}

useTestContext((given) => {
  context = given;
});
beforeAll(async () => {
  world = await seedAccessWorld(context);
  for (const app of [world.apps.tmc, world.apps.partner]) {
    await setPostbackUrl(context, app.clientId, 'https://receiver.example/postback');
    await subscribe(context, await userToken(context, app, world.home.admin));
  }
  tmcId = await appIdOf(context, world.apps.tmc.clientId);
  admin = await userToken(context, world.apps.tmc, world.home.admin);
  const traveller = await userToken(context, world.apps.tmc, world.home.traveller);
  for (let i = 0; i < 5; i++) {
    tripIds.push((await createTrip(context.app, traveller, tmcTripXml(world, `T${i}`))).tripId);
    // Distinct creation times, so the expected order is known.
    await new Promise((r) => setTimeout(r, 3));
  }
  // Two of them failed for good; one was delivered.
  const failed = { status: 'dead' as const, attempts: 7, last_status: 500, last_error: 'HTTP 500' };
  await context.database.db
    .updateTable('notifications')
    .set({ ...failed, last_attempt_at: Date.now() })
    .where('app_id', '=', tmcId)
    .where('trip_id', 'in', [tripIds[1] as string, tripIds[3] as string])
    .execute();
  await context.database.db
    .updateTable('notifications')
    .set({ status: 'delivered', attempts: 1, last_status: 200, delivered_at: Date.now() })
    .where('app_id', '=', tmcId)
    .where('trip_id', '=', tripIds[4] as string)
    .execute();
});

describe('GET /api/company/v1.0/notifications', () => {
  it('returns 401 without a token and 403 for a traveller (JSON errors)', async () => {
    const anonymous = await context.app.inject({
      method: 'GET',
      url: `${COMPANY_PATH}/notifications`,
    });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ error: 'unauthorized' });
    const traveller = await userToken(context, world.apps.tmc, world.home.traveller);
    const response = await list(traveller);
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: 'forbidden' });
  });

  it("lists the app's deliveries, newest first, with status and attempts", async () => {
    const { items, next } = await page(admin);
    expect(next).toBeNull();
    expect(items.map((i) => i.tripId)).toEqual([...tripIds].reverse());
    const delivered = items[0] as Item;
    expect(delivered).toMatchObject({
      eventType: 'CREATE',
      status: 'delivered',
      attempts: 1,
      lastStatus: 200,
      lastError: null,
      nextAttemptAt: null,
    });
    expect(delivered.deliveredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(items[1]).toMatchObject({ status: 'dead', attempts: 7, lastError: 'HTTP 500' });
    expect(items[4]).toMatchObject({ status: 'pending', attempts: 0, deliveredAt: null });
    expect(Date.parse(items[4]?.expiresAt ?? '') - Date.parse(items[4]?.createdAt ?? '')).toBe(
      72 * 3600 * 1000,
    );
  });

  it('pages with the before cursor and filters by status', async () => {
    const first = await page(admin, '?limit=2');
    expect(first.items.map((i) => i.tripId)).toEqual([tripIds[4], tripIds[3]]);
    const second = await page(admin, `?limit=2&before=${first.next}`);
    expect(second.items.map((i) => i.tripId)).toEqual([tripIds[2], tripIds[1]]);
    const third = await page(admin, `?limit=2&before=${second.next}`);
    expect(third.items.map((i) => i.tripId)).toEqual([tripIds[0]]);
    expect(third.next).toBeNull();
    const dead = await page(admin, '?status=dead');
    expect(dead.items.map((i) => i.tripId)).toEqual([tripIds[3], tripIds[1]]);
    const deadPaged = await page(admin, '?status=DEAD&limit=1');
    expect(deadPaged.items).toHaveLength(1);
    const rest = await page(admin, `?status=dead&limit=1&before=${deadPaged.next}`);
    expect(rest.items.map((i) => i.tripId)).toEqual([tripIds[1]]);
  });

  it('returns 400 for a bad status, limit or cursor', async () => {
    for (const query of ['?status=lost', '?limit=0', '?limit=201', '?limit=x', '?before=bm9wZQ']) {
      const response = await list(admin, query);
      expect(response.statusCode, query).toBe(400);
      expect(response.json()).toMatchObject({ error: 'bad_request' });
    }
    expect((await page(admin, '?limit=200')).items).toHaveLength(5);
  });

  it("shows another app only its own deliveries, and a company token its companies'", async () => {
    const partner = await userToken(context, world.apps.partner, world.home.admin);
    const partnerItems = (await page(partner)).items;
    expect(partnerItems).toHaveLength(5);
    expect(partnerItems.every((i) => i.status === 'pending')).toBe(true);
    expect((await page(await companyToken(context, world.apps.tmc))).items).toHaveLength(5);
    expect((await page(await companyToken(context, world.apps.foreignTmc))).items).toHaveLength(0);
  });
});

describe('POST /api/company/v1.0/notifications/{id}/resend', () => {
  const idOf = async (tripId: string) =>
    (await page(admin)).items.find((i) => i.tripId === tripId)?.id as string;

  it('makes a dead notification pending now, with no attempts and a fresh age', async () => {
    const id = await idOf(tripIds[1] as string);
    const started = Date.now();
    const response = await resend(admin, id);
    expect(response.statusCode, response.body).toBe(200);
    const item = response.json() as Item;
    expect(item).toMatchObject({ id, status: 'pending', attempts: 0, deliveredAt: null });
    const row = await context.database.db
      .selectFrom('notifications')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.next_attempt_at).toBeGreaterThanOrEqual(started);
    expect(row.next_attempt_at).toBeLessThanOrEqual(Date.now());
    expect(row.expires_at - row.next_attempt_at).toBe(
      context.config.notificationMaxAgeSeconds * 1000,
    );
    expect(row.claimed_by).toBeNull();
    // Once pending, it cannot be resent again.
    const again = await resend(admin, id);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'conflict' });
  });

  it('returns 409 for a pending or delivered notification', async () => {
    for (const tripId of [tripIds[0], tripIds[4]] as string[]) {
      const response = await resend(admin, await idOf(tripId));
      expect(response.statusCode, response.body).toBe(409);
      expect(response.json().message).toMatch(/only dead notifications/);
    }
  });

  it("returns 404 for another app's notification or an unknown id; 403 for a traveller", async () => {
    const id = await idOf(tripIds[3] as string);
    const partner = await userToken(context, world.apps.partner, world.home.admin);
    expect((await resend(partner, id)).statusCode).toBe(404);
    const foreign = await companyToken(context, world.apps.foreignTmc);
    expect((await resend(foreign, id)).statusCode).toBe(404);
    expect((await resend(admin, 'no-such-notification')).statusCode).toBe(404);
    expect((await resend(admin, 'nul\u0000id')).statusCode).toBe(404);
    const traveller = await userToken(context, world.apps.tmc, world.home.traveller);
    expect((await resend(traveller, id)).statusCode).toBe(403);
    // Still dead: nothing above touched it.
    expect((await page(admin, '?status=dead')).items.map((i) => i.id)).toEqual([id]);
  });
});
