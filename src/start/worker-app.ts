/**
 * The app of a node:cluster worker: like a single process's, except that it takes SQLite write
 * turns when its primary arbitrates them, and leaves notification delivery to the primary, which
 * it wakes when it commits notifications.
 */
import cluster from 'node:cluster';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import type { Config } from '../config.js';
import { turnsFromPrimary, WRITE_TURNS_ENV } from '../db/sqlite-write-turns.js';
import { forwardOutboxSignals } from '../modules/notifications/outbox/notification-outbox-signal.js';
import { metricsFromPrimary } from '../observability/cluster-metrics.js';
import { listenUntilSignalled } from './single-process.js';

/**
 * Builds the app of this cluster worker (not listening yet). `env` is where the primary's
 * write-turn flag is read: set by `startClusterPrimary` on the workers it arbitrates for, not
 * user configuration.
 */
export async function buildWorkerApp(
  config: Readonly<Config>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<FastifyInstance> {
  const takesTurns = cluster.isWorker && env[WRITE_TURNS_ENV] === '1';
  const app = await buildApp(
    { ...config, notificationDelivery: false },
    {
      ...(takesTurns ? { writeTurns: turnsFromPrimary() } : {}),
      // `/metrics` answers the whole cluster's sum, collected by the primary.
      ...(cluster.isWorker ? { metricsText: metricsFromPrimary() } : {}),
    },
  );
  // Only when the primary delivers: with delivery off everywhere nobody listens for wake-ups.
  if (config.notificationDelivery) {
    forwardOutboxSignals((message) => process.send?.(message));
  }
  return app;
}

/** Serves as a cluster worker of `itinera serve` until signalled (the primary relays signals). */
export async function runClusterWorker(config: Readonly<Config>): Promise<void> {
  await listenUntilSignalled(await buildWorkerApp(config), config);
}
