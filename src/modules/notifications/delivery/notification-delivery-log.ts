/**
 * The log line of each delivery attempt: a success at `debug`, a failure to be retried at
 * `warn`, a notification given up at `error`. Operators see which receiver fails and how
 * without the line carrying what a postback URL's path or query may hold (Concur's query
 * names the user; apps put tokens there), the body or its signature: only the target's host,
 * the HTTP status or a short failure code, the attempt number and when the next one is due.
 */
import type { AttemptRecord } from '../notification.repository.js';
import type { SendResult } from './notification-sender.js';

/** Where the worker logs (pino's methods; `debug` optional for quiet test doubles). */
export interface DeliveryLog {
  error(object: object, message: string): void;
  warn(object: object, message: string): void;
  debug?(object: object, message: string): void;
}

/** The host (and port) of a postback URL, never its user info, path or query; null if none. */
export function targetHost(postbackUrl: string | null): string | null {
  if (!postbackUrl) return null;
  try {
    return new URL(postbackUrl).host || null;
  } catch {
    return null;
  }
}

/** What one attempt was: which notification, to where, its number (1 for the first). */
export interface AttemptFacts {
  notificationId: string;
  appId: string;
  postbackUrl: string | null;
  attempt: number;
}

/** Logs the outcome of one attempt (see the file comment for what is and is not logged). */
export function logDeliveryAttempt(
  log: DeliveryLog,
  facts: AttemptFacts,
  result: SendResult,
  record: AttemptRecord,
): void {
  const line = {
    notification: facts.notificationId,
    app: facts.appId,
    host: targetHost(facts.postbackUrl),
    attempt: facts.attempt,
    status: result.status,
  };
  if (result.ok) {
    log.debug?.(line, 'notification delivered');
    return;
  }
  const failure = { ...line, code: result.code };
  if (record.kind === 'retry') {
    log.warn(
      { ...failure, nextAttemptAt: new Date(record.nextAttemptAt).toISOString() },
      'notification delivery failed; will retry',
    );
  } else {
    log.error(failure, 'notification delivery failed; given up (past its maximum age)');
  }
}
