/**
 * The admin API's reads and writes of the outbox: an app's recent v1.1 notifications for its
 * administrators, and the resend of a dead one.
 */
import type { Executor, NotificationRow, NotificationStatus } from '../../../db/database.js';

// The admin API: an app's recent rows for its administrators, and the resend of a dead row.

/** Where a page of the admin list starts: after this row (newest first). */
export interface NotificationCursor {
  createdAt: number;
  id: string;
}

export interface NotificationListQuery {
  appId: string;
  companyIds: readonly string[];
  status?: NotificationStatus;
  before?: NotificationCursor;
  limit: number;
}

/** An app's notifications for its companies, newest first (keyset paging on created_at, id). */
export function listNotifications(
  db: Executor,
  query: NotificationListQuery,
): Promise<NotificationRow[]> {
  let select = db
    .selectFrom('notifications')
    .selectAll()
    .where('app_id', '=', query.appId)
    .where('company_id', 'in', [...query.companyIds])
    // ESS events are listed per subscription (docs/EVENTS.md), not here.
    .where('channel', '=', 'v1');
  if (query.status) select = select.where('status', '=', query.status);
  const before = query.before;
  if (before) {
    select = select.where((eb) =>
      eb.or([
        eb('created_at', '<', before.createdAt),
        eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)]),
      ]),
    );
  }
  return select.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
}

/** One notification of an app, among its companies. */
export function findNotification(
  db: Executor,
  id: string,
  appId: string,
  companyIds: readonly string[],
): Promise<NotificationRow | undefined> {
  return db
    .selectFrom('notifications')
    .selectAll()
    .where('id', '=', id)
    .where('app_id', '=', appId)
    .where('company_id', 'in', [...companyIds])
    .where('channel', '=', 'v1')
    .executeTakeFirst();
}

/**
 * Makes a dead notification pending again, due now, with a fresh age limit and no attempts.
 * Conditional on the row still being dead, so of two concurrent resends one wins; returns
 * whether this one did.
 */
export async function resendDeadNotification(
  db: Executor,
  id: string,
  now: number,
  expiresAt: number,
): Promise<boolean> {
  const result = await db
    .updateTable('notifications')
    .set({
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      expires_at: expiresAt,
      claimed_by: null,
      claimed_until: null,
      delivered_at: null,
    })
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
