/**
 * POST /api/company/v1.0/subscribe and /unsubscribe (SPEC §2.8): who may call them, the type
 * rules, the postback URL requirement, and what they store and answer.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { notificationSigningSecret } from '../../src/modules/notifications/delivery/notification-signing.js';
import { SecretBox } from '../../src/security/secret-box.js';
import {
  type AccessWorld,
  companyToken,
  seedAccessWorld,
  userToken,
} from '../helpers/access-world.js';
import { useTestContext } from '../helpers/app-fixture.js';
import { appIdOf, callSubscription, setPostbackUrl } from '../helpers/notification-world.js';
import type { TestContext } from '../helpers/test-app.js';
import { expectError } from '../helpers/trip-requests.js';
import { parseXml, text, texts } from '../helpers/xml-tree.js';

let context: TestContext;
let world: AccessWorld;
let tmcId: string;
const POSTBACK = 'https://receiver.example/itinera?key=1';

useTestContext((given) => {
  context = given;
});
beforeAll(async () => {
  world = await seedAccessWorld(context);
  await setPostbackUrl(context, world.apps.tmc.clientId, POSTBACK);
  tmcId = await appIdOf(context, world.apps.tmc.clientId);
});

function subscriptions(appId: string) {
  return context.database.db
    .selectFrom('notification_subscriptions')
    .selectAll()
    .where('app_id', '=', appId)
    .execute();
}

async function companyIdOf(name: string): Promise<string> {
  const row = await context.database.db
    .selectFrom('companies')
    .select('id')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('POST /api/company/v1.0/subscribe', () => {
  it('returns 401 without a token', async () => {
    expectError(await callSubscription(context, 'subscribe', undefined), 401);
  });

  it('returns 403 for a traveller and stores nothing', async () => {
    const token = await userToken(context, world.apps.tmc, world.home.traveller);
    expectError(await callSubscription(context, 'subscribe', token), 403, /company administrator/);
    expect(await subscriptions(tmcId)).toHaveLength(0);
  });

  it('returns 400 for a missing, an unserved and an unknown type', async () => {
    const token = await userToken(context, world.apps.tmc, world.home.admin);
    expectError(await callSubscription(context, 'subscribe', token, ''), 400, /type.*required/);
    expectError(await callSubscription(context, 'subscribe', token, '?type='), 400, /required/);
    expectError(await callSubscription(context, 'subscribe', token, '?type=fop'), 400, /'fop'/);
    expectError(
      await callSubscription(context, 'subscribe', token, '?type=profile'),
      400,
      /'profile'.*not served/,
    );
    expectError(
      await callSubscription(context, 'subscribe', token, '?type=expense'),
      400,
      /Unknown notification type 'expense'/,
    );
    expect(await subscriptions(tmcId)).toHaveLength(0);
  });

  it('returns 400 for an app without a postback URL', async () => {
    const token = await userToken(context, world.apps.partner, world.home.admin);
    expectError(await callSubscription(context, 'subscribe', token), 400, /no postback URL/);
    const partnerId = await appIdOf(context, world.apps.partner.clientId);
    expect(await subscriptions(partnerId)).toHaveLength(0);
  });

  it('subscribes the app for the admin company, twice without harm, and tells the secret', async () => {
    const token = await userToken(context, world.apps.tmc, world.home.admin);
    const home = await companyIdOf(world.home.company);
    for (let i = 0; i < 2; i++) {
      const response = await callSubscription(context, 'subscribe', token, '?type=Itinerary');
      expect(response.statusCode, response.body).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/xml/);
      const doc = parseXml(response.body);
      expect(doc.name).toBe('Subscription');
      expect(text(doc, 'Type')).toBe('itinerary');
      expect(text(doc, 'Subscribed')).toBe('true');
      expect(texts(doc, 'Companies/CompanyId')).toEqual([home]);
      expect(text(doc, 'PostbackURL')).toBe(POSTBACK);
      expect(text(doc, 'SigningSecret')).toBe(
        await notificationSigningSecret(
          context.database.db,
          SecretBox.fromConfig(context.config),
          tmcId,
        ),
      );
      expect(text(doc, 'SigningSecret')).toMatch(/^whsec_[\w-]{43}$/);
    }
    const rows = await subscriptions(tmcId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ company_id: home, type: 'itinerary' });
    expect(rows[0]?.created_by).toBeTruthy();
  });

  it('lets a Company Administrator and a company token subscribe', async () => {
    const supplierId = await appIdOf(context, world.apps.supplier.clientId);
    await setPostbackUrl(context, world.apps.supplier.clientId, POSTBACK);
    const admin = await userToken(context, world.apps.supplier, world.home.companyAdmin);
    expect((await callSubscription(context, 'subscribe', admin)).statusCode).toBe(200);
    expect(await subscriptions(supplierId)).toHaveLength(1);

    const foreignId = await appIdOf(context, world.apps.foreignTmc.clientId);
    await setPostbackUrl(context, world.apps.foreignTmc.clientId, POSTBACK);
    const company = await companyToken(context, world.apps.foreignTmc);
    const response = await callSubscription(context, 'subscribe', company);
    expect(response.statusCode, response.body).toBe(200);
    const rows = await subscriptions(foreignId);
    expect(rows.map((r) => r.company_id)).toEqual([await companyIdOf(world.foreign.company)]);
    expect(rows[0]?.created_by).toBeNull();
  });
});

describe('POST /api/company/v1.0/unsubscribe', () => {
  it('returns 403 for a traveller and 400 for a bad type', async () => {
    const traveller = await userToken(context, world.apps.tmc, world.home.traveller);
    expectError(await callSubscription(context, 'unsubscribe', traveller), 403);
    const admin = await userToken(context, world.apps.tmc, world.home.admin);
    expectError(await callSubscription(context, 'unsubscribe', admin, '?type=fop'), 400, /fop/);
  });

  it('removes the subscription, and answers 200 again when there is none', async () => {
    const admin = await userToken(context, world.apps.tmc, world.home.admin);
    await callSubscription(context, 'subscribe', admin);
    expect(await subscriptions(tmcId)).toHaveLength(1);
    for (let i = 0; i < 2; i++) {
      const response = await callSubscription(context, 'unsubscribe', admin);
      expect(response.statusCode, response.body).toBe(200);
      expect(text(parseXml(response.body), 'Subscribed')).toBe('false');
      expect(await subscriptions(tmcId)).toHaveLength(0);
    }
  });

  it('leaves other apps subscribed', async () => {
    const supplierId = await appIdOf(context, world.apps.supplier.clientId);
    expect(await subscriptions(supplierId)).toHaveLength(1);
  });
});
