/**
 * Notification delivery in a cluster primary. The primary serves no requests, so it delivers:
 * one claimer per instance (with SQLite, fewer writers contending for the lock), unaffected by
 * worker restarts; workers wake it through IPC when they commit notifications.
 */
import cluster, { type Worker } from 'node:cluster';
import pino from 'pino';
import type { Config } from '../config.js';
import { connectDatabase } from '../db/connect.js';
import { turnsInPrimary, type WriteTurnArbiter } from '../db/sqlite-write-turns.js';
import { LOG_REDACTION } from '../http/server/log-redaction.js';
import { NotificationWorker } from '../modules/notifications/delivery/notification-worker.js';
import { OUTBOX_WRITTEN_MESSAGE } from '../modules/notifications/outbox/notification-outbox-signal.js';
import { SecretBox } from '../security/secret-box.js';

/** Delivery that runs until stopped. */
export interface ClusterDelivery {
  /** Waits for the deliveries in flight, then closes the primary's connection. */
  stop(): Promise<void>;
}

/**
 * Starts delivering from this primary. With `arbiter` (SQLite), the primary's own writes
 * (claims, outcomes) queue for the same write turns as its workers'.
 */
export function startClusterDelivery(
  config: Readonly<Config>,
  arbiter: WriteTurnArbiter | undefined,
): ClusterDelivery {
  const handle = connectDatabase(
    config.database,
    arbiter ? { writeTurns: turnsInPrimary(arbiter) } : {},
  );
  const delivery = new NotificationWorker(handle, {
    timeoutMs: config.notificationTimeoutMs,
    allowPrivateTargets: config.notificationAllowPrivateTargets,
    secrets: SecretBox.fromConfig(config),
    log: pino({ level: config.logLevel, redact: LOG_REDACTION }),
  });
  const onMessage = (_worker: Worker, message: unknown) => {
    if (message === OUTBOX_WRITTEN_MESSAGE) delivery.wake();
  };
  cluster.on('message', onMessage);
  delivery.start();
  return {
    async stop() {
      cluster.off('message', onMessage);
      await delivery.stop();
      await handle.close();
    },
  };
}
