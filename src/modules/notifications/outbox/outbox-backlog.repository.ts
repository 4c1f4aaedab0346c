/**
 * What the outbox holds now, for the metrics (`itinera_notification_outbox_*`): read at scrape
 * time, through the `(status, next_attempt_at)` index's pending range.
 */
import type { Executor } from '../../../db/database.js';

/** Pending rows and when the oldest of them was written (epoch ms; null when none waits). */
export async function outboxBacklog(
  db: Executor,
): Promise<{ pending: number; oldestCreatedAt: number | null }> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('pending'),
      eb.fn.min<number | null>('created_at').as('oldest'),
    ])
    .where('status', '=', 'pending')
    .executeTakeFirst();
  // PostgreSQL's count is int8, answered as a string; min of an int8 column is parsed already.
  return {
    pending: Number(row?.pending ?? 0),
    oldestCreatedAt: row?.oldest === null || row?.oldest === undefined ? null : Number(row.oldest),
  };
}
