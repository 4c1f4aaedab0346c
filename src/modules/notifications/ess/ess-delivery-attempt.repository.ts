/**
 * The log of ESS delivery attempts (`event_delivery_attempts`): one row per attempt, written
 * with the attempt's outcome, listed by the subscriber, deleted after 30 days.
 */
import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../../../db/database.js';
import type { EventDeliveryAttemptsTable } from '../../../db/tables/event-tables.js';

export type DeliveryAttemptRow = Selectable<EventDeliveryAttemptsTable>;

/** Records one attempt (in the write that records its outcome on the outbox row). */
export async function insertDeliveryAttempt(
  db: Executor,
  row: Insertable<EventDeliveryAttemptsTable>,
): Promise<void> {
  await db.insertInto('event_delivery_attempts').values(row).execute();
}

/** A subscription's attempts since `since`, newest first. */
export function listDeliveryAttempts(
  db: Executor,
  subscriptionId: string,
  since: number,
  limit: number,
): Promise<DeliveryAttemptRow[]> {
  return db
    .selectFrom('event_delivery_attempts')
    .selectAll()
    .where('subscription_id', '=', subscriptionId)
    .where('attempted_at', '>=', since)
    .orderBy('attempted_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Deletes up to `limit` attempts made before `before`; returns how many. */
export async function pruneDeliveryAttempts(
  db: Executor,
  before: number,
  limit: number,
): Promise<number> {
  const old = db
    .selectFrom('event_delivery_attempts')
    .select('id')
    .where('attempted_at', '<', before)
    .limit(limit);
  const result = await db
    .deleteFrom('event_delivery_attempts')
    .where('id', 'in', old)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
