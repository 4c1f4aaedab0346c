/**
 * ESS's retention: an event is retried until 72 hours after it was published, then given up.
 * The delivery worker runs on an injected clock; the app's own worker is off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationWorker } from '../../../src/modules/notifications/delivery/notification-worker.js';
import { SecretBox } from '../../../src/security/secret-box.js';
import { useTestContext } from '../../helpers/app-fixture.js';
import { Receiver } from '../../helpers/delivery-receiver.js';
import { essTenant, subscribeEss } from '../../helpers/ess-world.js';
import { type TestContext, tokenFor } from '../../helpers/test-app.js';
import { createTrip, simpleTrip } from '../../helpers/trip-requests.js';
import { waitFor } from '../../helpers/wait-for.js';

const HOUR = 3_600_000;
let context: TestContext;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await new Receiver().start();
  receiver.handler = (_request, response) => {
    response.statusCode = 503;
    response.end();
  };
});
afterAll(async () => {
  await receiver?.stop();
});
useTestContext({ config: { notificationAllowPrivateTargets: true } }, (given) => {
  context = given;
});

const quiet = { error: () => {}, warn: () => {} };

async function runWorkerAt(at: number, until: () => Promise<boolean>): Promise<void> {
  const worker = new NotificationWorker(context.database, {
    timeoutMs: 500,
    allowPrivateTargets: true,
    secrets: new SecretBox(),
    log: quiet,
    pollIntervalMs: 20,
    now: () => at,
  });
  worker.start();
  try {
    await waitFor(async () => ((await until()) ? true : undefined), 10_000);
  } finally {
    await worker.stop();
  }
}

describe('72 hours of retries', () => {
  it('retries before the 72nd hour and gives up after it', async () => {
    const { tenant, token } = await essTenant(context);
    await subscribeEss(context, token, `expiry.${tenant.app.clientId}`, receiver.url('/ess'));
    const traveller = await tokenFor(context, tenant, tenant.traveller);
    const { tripId } = await createTrip(context.app, traveller, simpleTrip('Expiry', 5, 6));
    const row = () =>
      context.database.db
        .selectFrom('notifications')
        .selectAll()
        .where('channel', '=', 'ess')
        .where('trip_id', '=', tripId)
        .executeTakeFirstOrThrow();
    const published = await row();
    expect(published.expires_at - published.created_at).toBe(72 * HOUR);
    expect(published).toMatchObject({ status: 'pending', event_type: 'ItineraryCreated' });

    // At 71 h a 503 is retried, no later than the deadline.
    await runWorkerAt(published.created_at + 71 * HOUR, async () => (await row()).attempts >= 1);
    const retried = await row();
    expect(retried.status).toBe('pending');
    expect(retried.last_status).toBe(503);
    expect(retried.next_attempt_at).toBeLessThanOrEqual(published.expires_at);

    // Past 72 h the next failure is final.
    await runWorkerAt(published.expires_at + 1, async () => (await row()).status === 'dead');
    const dead = await row();
    expect(dead.attempts).toBe(2);
    expect(receiver.requests).toHaveLength(2);
  });
});
