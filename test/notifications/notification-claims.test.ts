/**
 * Claims and leases on the outbox, on both dialects: disjoint claims, fenced finishing, and
 * several workers (each with its own connection pool, as separate processes have) delivering
 * one outbox without ever sending one notification twice at the same time.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connect.js';
import {
  backoffDelay,
  recordAttempt,
} from '../../src/modules/notifications/delivery/notification-retry.js';
import { NotificationWorker } from '../../src/modules/notifications/delivery/notification-worker.js';
import {
  claimDueNotifications,
  finishNotification,
  insertNotifications,
  pruneNotifications,
  releaseNotifications,
} from '../../src/modules/notifications/notification.repository.js';
import { Receiver } from '../helpers/delivery-receiver.js';
import { outboxRow, type Subscriber, subscriberOf } from '../helpers/outbox-rows.js';
import { buildTestApp, seedTenant, type TestContext } from '../helpers/test-app.js';
import { waitFor } from '../helpers/wait-for.js';

const silent = { error: () => {}, warn: () => {} };
let context: TestContext;
let database: DatabaseHandle;
let receiver: Receiver;

async function tenantSubscriber(url: string | null): Promise<Subscriber> {
  const tenant = await seedTenant(context);
  return subscriberOf(database.db, tenant.app.clientId, tenant.traveller.loginId, url);
}

beforeAll(async () => {
  receiver = await new Receiver().start();
  context = await buildTestApp();
  database = context.database;
});

afterAll(async () => {
  await context?.close();
  await receiver?.stop();
});

describe('backoffDelay', () => {
  it('waits up to a ceiling that doubles from the base, capped, with full jitter', () => {
    const top = () => 0.999_999;
    expect(backoffDelay(1, 1000, 3_600_000, top)).toBe(999);
    expect(backoffDelay(2, 1000, 3_600_000, top)).toBe(1999);
    expect(backoffDelay(5, 1000, 3_600_000, top)).toBe(15_999);
    expect(backoffDelay(40, 1000, 3_600_000, top)).toBe(3_599_996);
    expect(backoffDelay(3, 1000, 3_600_000, () => 0)).toBe(0);
    expect(backoffDelay(3, 1000, 3_600_000, () => 0.5)).toBe(2000);
  });
});

describe('recordAttempt', () => {
  const policy = { backoffBaseMs: 1000, backoffCapMs: 3_600_000 };
  const failed = { ok: false as const, status: 500, error: 'HTTP 500' };
  const half = () => 0.5;

  it('delivers on success, whatever the age', () => {
    expect(
      recordAttempt({ ok: true, status: 204 }, { attempts: 3, expires_at: 10 }, 50, policy),
    ).toEqual({ kind: 'delivered', at: 50, status: 204 });
  });

  it('schedules a retry after the backoff of the failure count, never past the deadline', () => {
    expect(recordAttempt(failed, { attempts: 2, expires_at: 1e9 }, 1000, policy, half)).toEqual({
      kind: 'retry',
      at: 1000,
      status: 500,
      error: 'HTTP 500',
      nextAttemptAt: 1000 + 2000,
    });
    expect(
      recordAttempt(failed, { attempts: 9, expires_at: 5000 }, 1000, policy, half),
    ).toMatchObject({ kind: 'retry', nextAttemptAt: 5000 });
  });

  it('is dead when it fails at or after the deadline', () => {
    expect(recordAttempt(failed, { attempts: 4, expires_at: 1000 }, 1000, policy)).toEqual({
      kind: 'dead',
      at: 1000,
      status: 500,
      error: 'HTTP 500',
    });
  });
});

describe('claiming the outbox', () => {
  beforeEach(async () => {
    await database.db.deleteFrom('notifications').execute();
  });

  it('claims due, pending, unleased rows, oldest due first, up to the limit', async () => {
    const to = await tenantSubscriber(null);
    const now = Date.now() + 10_000_000;
    const rows = [
      outboxRow(to, { next_attempt_at: now - 30 }),
      outboxRow(to, { next_attempt_at: now - 50 }),
      outboxRow(to, { next_attempt_at: now - 40 }),
      outboxRow(to, { next_attempt_at: now + 1000 }),
      outboxRow(to, { next_attempt_at: now - 60, status: 'delivered' }),
      outboxRow(to, { next_attempt_at: now - 60, claimed_by: 'other', claimed_until: now + 5 }),
      outboxRow(to, { next_attempt_at: now - 20, claimed_by: 'gone', claimed_until: now - 1 }),
    ];
    await insertNotifications(database.db, rows);
    const first = await claimDueNotifications(database, {
      workerId: 'a',
      limit: 2,
      now,
      leaseUntil: now + 100,
    });
    expect(first.map((r) => r.id).sort()).toEqual([rows[1]?.id, rows[2]?.id].sort());
    const second = await claimDueNotifications(database, {
      workerId: 'b',
      limit: 10,
      now,
      leaseUntil: now + 100,
    });
    expect(second.map((r) => r.id).sort()).toEqual([rows[0]?.id, rows[6]?.id].sort());
    expect(second.every((r) => r.claimed_until === now + 100)).toBe(true);
    // Leases run out: everything pending and due is claimable again.
    const later = await claimDueNotifications(database, {
      workerId: 'c',
      limit: 10,
      now: now + 101,
      leaseUntil: now + 200,
    });
    expect(later.map((r) => r.id).sort()).toEqual(
      [rows[0], rows[1], rows[2], rows[5], rows[6]].map((r) => r?.id).sort(),
    );
    await database.db
      .deleteFrom('notifications')
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
  });

  it('lets only the current lease holder finish a row', async () => {
    const to = await tenantSubscriber(null);
    const row = outboxRow(to);
    await insertNotifications(database.db, [row]);
    const now = row.next_attempt_at;
    await claimDueNotifications(database, {
      workerId: 'slow',
      limit: 1,
      now,
      leaseUntil: now + 10,
    });
    const taken = await claimDueNotifications(database, {
      workerId: 'fast',
      limit: 1,
      now: now + 11,
      leaseUntil: now + 1000,
    });
    expect(taken.map((r) => r.id)).toEqual([row.id]);
    const late = await finishNotification(
      database.db,
      { id: row.id, workerId: 'slow', claimedUntil: now + 10 },
      { kind: 'delivered', at: now + 20, status: 200 },
    );
    expect(late).toBe(false);
    const holder = await finishNotification(
      database.db,
      { id: row.id, workerId: 'fast', claimedUntil: now + 1000 },
      { kind: 'retry', at: now + 30, status: 500, error: 'HTTP 500', nextAttemptAt: now + 90 },
    );
    expect(holder).toBe(true);
    const stored = await database.db
      .selectFrom('notifications')
      .selectAll()
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_status: 500,
      last_error: 'HTTP 500',
      next_attempt_at: now + 90,
      last_attempt_at: now + 30,
      claimed_by: null,
      claimed_until: null,
      delivered_at: null,
    });
  });

  it('releases unsent claims so that they are due at once', async () => {
    const to = await tenantSubscriber(null);
    const row = outboxRow(to);
    await insertNotifications(database.db, [row]);
    const now = row.next_attempt_at;
    const [claimed] = await claimDueNotifications(database, {
      workerId: 'stopping',
      limit: 1,
      now,
      leaseUntil: now + 60_000,
    });
    expect(claimed?.id).toBe(row.id);
    await releaseNotifications(database.db, [
      { id: row.id, workerId: 'stopping', claimedUntil: now + 60_000 },
    ]);
    const again = await claimDueNotifications(database, {
      workerId: 'next',
      limit: 1,
      now,
      leaseUntil: now + 10,
    });
    expect(again.map((r) => r.id)).toEqual([row.id]);
  });

  it('prunes delivered and dead rows past the retention, never pending ones', async () => {
    const to = await tenantSubscriber(null);
    const old = Date.now() - 40 * 86_400_000;
    const rows = [
      outboxRow(to, { created_at: old, status: 'delivered' }),
      outboxRow(to, { created_at: old, status: 'dead' }),
      outboxRow(to, { created_at: old, status: 'pending', next_attempt_at: old * 2 }),
      outboxRow(to, { status: 'delivered' }),
    ];
    await insertNotifications(database.db, rows);
    const cutoff = Date.now() - 30 * 86_400_000;
    expect(await pruneNotifications(database.db, cutoff, 1)).toBe(1);
    expect(await pruneNotifications(database.db, cutoff, 100)).toBe(1);
    const left = await database.db
      .selectFrom('notifications')
      .select('id')
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    expect(left.map((r) => r.id).sort()).toEqual([rows[2]?.id, rows[3]?.id].sort());
  });
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
