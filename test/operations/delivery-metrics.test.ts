/**
 * `itinera_notification_deliveries_total` by outcome, as the delivery worker records attempts
 * against a real receiver on 127.0.0.1: delivered, retry (a failure before the maximum age) and
 * dead (a failure past it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationRow } from '../../src/db/database.js';
import { insertNotifications } from '../../src/modules/notifications/notification.repository.js';
import { useTestTenant } from '../helpers/app-fixture.js';
import {
  outboxRow,
  Receiver,
  type Subscriber,
  subscriberOf,
} from '../helpers/delivery-receiver.js';
import { sampleSum } from '../helpers/metrics-text.js';
import type { TestContext } from '../helpers/test-app.js';
import { waitFor } from '../helpers/wait-for.js';

let context: TestContext;
let receiver: Receiver;
let to: Subscriber;

beforeAll(async () => {
  receiver = await new Receiver().start();
});
afterAll(async () => {
  await receiver?.stop();
});
useTestTenant(
  {
    config: {
      metricsPublic: true,
      notificationDelivery: true,
      notificationAllowPrivateTargets: true,
      notificationTimeoutMs: 500,
    },
    // Backoffs long enough that a retried row is not attempted again during the test.
    build: { notificationWorker: { pollIntervalMs: 20, backoffBaseMs: 60_000 } },
  },
  async ({ context: given, tenant }) => {
    context = given;
    to = await subscriberOf(
      context.database.db,
      tenant.app.clientId,
      tenant.traveller.loginId,
      receiver.url('/hooks/metrics'),
    );
  },
);

async function deliveries(outcome: string): Promise<number> {
  const response = await context.app.inject({ method: 'GET', url: '/metrics' });
  expect(response.statusCode).toBe(200);
  return sampleSum(response.body, 'itinera_notification_deliveries_total', { outcome });
}

function attempted(id: string): Promise<NotificationRow> {
  return waitFor(
    async () => {
      const row = await context.database.db
        .selectFrom('notifications')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && row.attempts > 0 ? row : undefined;
    },
    10_000,
    `an attempt of ${id}`,
  );
}

describe('itinera_notification_deliveries_total', () => {
  it('counts each recorded attempt by its outcome', async () => {
    const before = {
      delivered: await deliveries('delivered'),
      retry: await deliveries('retry'),
      dead: await deliveries('dead'),
    };

    receiver.handler = (_request, response) => response.end('ok');
    const ok = outboxRow(to);
    await insertNotifications(context.database.db, [ok]);
    expect((await attempted(ok.id)).status).toBe('delivered');

    receiver.handler = (_request, response) => {
      response.statusCode = 503;
      response.end('busy');
    };
    const now = Date.now();
    const retried = outboxRow(to);
    const expired = outboxRow(to, { created_at: now - 1_000, expires_at: now - 1 });
    await insertNotifications(context.database.db, [retried, expired]);
    expect(await attempted(retried.id)).toMatchObject({ status: 'pending', last_status: 503 });
    expect(await attempted(expired.id)).toMatchObject({ status: 'dead', last_status: 503 });

    // Counted after the outcome is recorded, so it may trail the row by a moment.
    await waitFor(async () => (await deliveries('dead')) === before.dead + 1, 5_000, 'dead');
    expect(await deliveries('delivered')).toBe(before.delivered + 1);
    expect(await deliveries('retry')).toBe(before.retry + 1);
    expect(await deliveries('dead')).toBe(before.dead + 1);
  });
});
