/**
 * Several delivery workers (each with its own connection pool, as separate processes have)
 * delivering one outbox without ever sending one notification twice at the same time, and a
 * worker stopping with an attempt in flight.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { NotificationWorker } from '../../src/modules/notifications/delivery/notification-worker.js';
import { insertNotifications } from '../../src/modules/notifications/notification.repository.js';
import { SecretBox } from '../../src/security/secret-box.js';
import { useTestContext } from '../helpers/app-fixture.js';
import { outboxRow, Receiver, seedSubscriber } from '../helpers/delivery-receiver.js';
import type { TestContext } from '../helpers/test-app.js';
import { waitFor } from '../helpers/wait-for.js';

const silent = { error: () => {}, warn: () => {} };
let context: TestContext;
let database: DatabaseHandle;
let receiver: Receiver;

const tenantSubscriber = (url: string | null) => seedSubscriber(context, url);

// The receiver starts before the app and stops after it (afterAll hooks run in reverse).
beforeAll(async () => {
  receiver = await new Receiver().start();
});
afterAll(async () => {
  await receiver?.stop();
});
useTestContext((given) => {
  context = given;
  database = context.database;
});

describe('delivery workers sharing one outbox', () => {
  it('stop() waits for the attempt in flight and records it', async () => {
    const to = await tenantSubscriber(receiver.url('/stop'));
    receiver.handler = (_request, response) => {
      setTimeout(() => response.end('ok'), 300);
    };
    const row = outboxRow(to);
    await insertNotifications(database.db, [row]);
    const worker = new NotificationWorker(database, {
      timeoutMs: 2_000,
      allowPrivateTargets: true,
      secrets: new SecretBox(),
      log: silent,
      pollIntervalMs: 20,
    });
    worker.start();
    await waitFor(() => receiver.forId(row.id).length === 1, 5_000, 'the attempt');
    await worker.stop();
    const stored = await database.db
      .selectFrom('notifications')
      .selectAll()
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ status: 'delivered', attempts: 1, claimed_by: null });
  });

  it('never sends one notification twice at once, and delivers every one', async () => {
    const to = await tenantSubscriber(receiver.url('/shared'));
    receiver.maxOpenPerId = 0;
    receiver.handler = (_request, response) => {
      setTimeout(() => response.end('ok'), 2 + Math.floor(Math.random() * 10));
    };
    const rows = Array.from({ length: 300 }, () => outboxRow(to));
    const others = [context.database, ...[1, 2].map(() => context.connectAgain())];
    const workers = others.map(
      (handle) =>
        new NotificationWorker(handle, {
          timeoutMs: 5_000,
          allowPrivateTargets: true,
          secrets: new SecretBox(),
          log: silent,
          pollIntervalMs: 10,
          concurrency: 8,
        }),
    );
    for (const worker of workers) worker.start();
    await insertNotifications(database.db, rows);
    try {
      await waitFor(
        async () => {
          const pending = await database.db
            .selectFrom('notifications')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where(
              'id',
              'in',
              rows.map((r) => r.id),
            )
            .where('status', '!=', 'delivered')
            .executeTakeFirstOrThrow();
          return Number(pending.n) === 0;
        },
        30_000,
        'every notification delivered',
      );
    } finally {
      for (const worker of workers) await worker.stop();
      for (const handle of others.slice(1)) await handle.close();
    }
    expect(receiver.maxOpenPerId).toBe(1);
    const ids = receiver.requests.filter((r) => r.path === '/shared').map((r) => r.query);
    expect(ids).toHaveLength(300);
    const perId = new Set(
      receiver.requests
        .filter((r) => r.path === '/shared')
        .map((r) => String(r.headers['itinera-delivery-id'])),
    );
    expect(perId.size).toBe(300);
  }, 60_000);
});
