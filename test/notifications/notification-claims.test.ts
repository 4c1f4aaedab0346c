/**
 * Claims and leases on the outbox, on both dialects: disjoint claims, fenced finishing,
 * releasing unsent claims, and pruning.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connect.js';
import {
  claimDueNotifications,
  finishNotification,
  insertNotifications,
  pruneNotifications,
  releaseNotifications,
} from '../../src/modules/notifications/notification.repository.js';
import { useTestContext } from '../helpers/app-fixture.js';
import { outboxRow, seedSubscriber } from '../helpers/delivery-receiver.js';
import type { TestContext } from '../helpers/test-app.js';

let context: TestContext;
let database: DatabaseHandle;

const tenantSubscriber = (url: string | null) => seedSubscriber(context, url);

useTestContext((given) => {
  context = given;
  database = context.database;
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
