/**
 * Delivering one v1.1 notification (a claimed outbox row of channel `v1`): send it, log the
 * attempt, record the outcome under the row's lease and count it.
 */
import type { DatabaseHandle } from '../../../db/connect.js';
import { notificationDeliveries } from '../../../observability/metrics.js';
import {
  type ClaimedNotification,
  finishNotification,
  type Lease,
  outboxWrite,
} from '../notification.repository.js';
import { type DeliveryLog, logDeliveryAttempt } from './notification-delivery-log.js';
import { type RetryPolicy, recordAttempt } from './notification-retry.js';
import { sendNotification } from './notification-sender.js';
import type { SendOptions } from './safe-post.js';

export interface NotificationDeliveryOptions extends SendOptions, RetryPolicy {
  /** The app's signing secret. */
  secret: string;
  log: DeliveryLog;
  now: () => number;
  random: () => number;
}

/** Sends one notification and records the outcome; throws only when the database fails. */
export async function deliverNotification(
  database: DatabaseHandle,
  row: ClaimedNotification,
  lease: Lease,
  postbackUrl: string | null,
  options: NotificationDeliveryOptions,
): Promise<void> {
  const result = await sendNotification(
    postbackUrl,
    {
      id: row.id,
      companyId: row.company_id,
      loginId: row.login_id,
      eventType: row.event_type,
      body: row.body,
      secret: options.secret,
    },
    options,
  );
  const record = recordAttempt(result, row, options.now(), options, options.random);
  logDeliveryAttempt(
    options.log,
    { notificationId: row.id, appId: row.app_id, postbackUrl, attempt: row.attempts + 1 },
    result,
    record,
  );
  const finished = await outboxWrite(database, (db) => finishNotification(db, lease, record));
  if (finished) notificationDeliveries[record.kind].inc();
  else {
    options.log.warn(
      { notification: row.id },
      'notification lease lost before the outcome was recorded; another worker retries it',
    );
  }
}
