/**
 * Delivering one ESS event (a claimed outbox row of channel `ess`) with ESS's rules
 * (v4.event-subscription "ESS Behavior"): a 2xx is delivered; 5xx, 401, 403, 429 and network
 * failures are retried with the worker's jittered backoff until 72 hours after publication;
 * any other answer (other 4xx, a redirect) is final. Each request carries the event's JSON,
 * signed (`Concur-Signature`), and each attempt is logged for the subscriber without its body.
 */
import { randomUUID } from 'node:crypto';
import type { DatabaseHandle } from '../../../db/connect.js';
import { eventDeliveries } from '../../../observability/metrics.js';
import { type DeliveryLog, targetHost } from '../delivery/notification-delivery-log.js';
import { type RetryPolicy, recordAttempt } from '../delivery/notification-retry.js';
import { postSafely, type SendOptions, type SendResult } from '../delivery/safe-post.js';
import {
  type AttemptRecord,
  type ClaimedNotification,
  finishNotification,
  type Lease,
  outboxWrite,
} from '../notification.repository.js';
import { insertDeliveryAttempt } from './ess-delivery-attempt.repository.js';
import { ESS_SIGNATURE_HEADER, essSignature } from './ess-signature.js';
import type { EssSigningKeys } from './ess-signing-keys.js';

const USER_AGENT = 'Itinera-ESS/1.0';

/** Whether ESS tries a failed attempt again (network failures have no status). */
export function isRetryable(result: SendResult): boolean {
  if (result.ok) return false;
  const status = result.status;
  if (status === null) return true;
  return status >= 500 || status === 401 || status === 403 || status === 429;
}

/** The outcome of an attempt under ESS's rules (a final failure is dead at once). */
export function essAttemptRecord(
  result: SendResult,
  row: { attempts: number; expires_at: number },
  at: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): AttemptRecord {
  if (!result.ok && !isRetryable(result)) {
    return { kind: 'dead', at, status: result.status, error: result.error };
  }
  return recordAttempt(result, row, at, policy, random);
}

export interface EssDeliveryOptions extends SendOptions, RetryPolicy {
  keys: EssSigningKeys;
  log: DeliveryLog;
  now: () => number;
  random: () => number;
}

/** Sends one event, records its outcome and its attempt; never throws past its own log. */
export async function deliverEvent(
  database: DatabaseHandle,
  row: ClaimedNotification,
  lease: Lease,
  endpoint: string | undefined,
  options: EssDeliveryOptions,
): Promise<void> {
  const startedAt = options.now();
  let result: SendResult;
  if (!endpoint || !row.subscription_id) {
    result = {
      ok: false,
      status: null,
      error: 'the subscription is gone',
      code: 'no_subscription',
    };
  } else {
    const key = await options.keys.current();
    const sentAt = options.now();
    result = await postSafely(new URL(endpoint), row.body, options, {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'concur-correlationid': correlationIdOf(row.body),
      'itinera-delivery-id': row.id,
      [ESS_SIGNATURE_HEADER]: essSignature(key, Math.floor(sentAt / 1000), row.body),
    });
  }
  const at = options.now();
  // A vanished subscription will not come back: nothing to retry.
  const record =
    endpoint === undefined
      ? ({ kind: 'dead', at, status: null, error: 'the subscription is gone' } as const)
      : essAttemptRecord(result, row, at, options, options.random);
  const finished = await outboxWrite(database, async (db) => {
    const done = await finishNotification(db, lease, record);
    if (done && row.subscription_id && endpoint !== undefined) {
      await insertDeliveryAttempt(db, {
        id: randomUUID(),
        subscription_id: row.subscription_id,
        event_id: row.event_id ?? row.id,
        event_type: row.event_type,
        attempt: row.attempts + 1,
        attempted_at: startedAt,
        duration_ms: Math.max(0, at - startedAt),
        status: result.status,
        outcome: record.kind,
        error_class: result.ok ? null : result.code,
      });
    }
    return done;
  });
  if (!finished) {
    options.log.warn({ event: row.event_id }, 'event lease lost; another worker retries it');
    return;
  }
  eventDeliveries[record.kind].inc();
  const line = {
    event: row.event_id,
    subscription: row.subscription_id,
    host: targetHost(endpoint ?? null),
    attempt: row.attempts + 1,
    status: result.status,
    ...(result.ok ? {} : { code: result.code }),
  };
  if (record.kind === 'delivered') options.log.debug?.(line, 'event delivered');
  else if (record.kind === 'retry') {
    const next = new Date(record.nextAttemptAt).toISOString();
    options.log.warn({ ...line, nextAttemptAt: next }, 'event delivery failed; will retry');
  } else options.log.error(line, 'event delivery failed; given up');
}

/** The event's correlation id, sent as Concur's `concur-correlationid` header. */
function correlationIdOf(body: string): string {
  try {
    const id = (JSON.parse(body) as { correlationId?: unknown }).correlationId;
    return typeof id === 'string' ? id : '';
  } catch {
    return '';
  }
}
