/**
 * Starts the HTTP server: in this process when `workers` is 1, else as a node:cluster primary
 * that prepares the database once (migrations, first signing key) and forks that many workers
 * sharing the port. SIGINT/SIGTERM close every server gracefully.
 */
import cluster, { type Worker } from 'node:cluster';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { connectDatabase } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import {
  arbitrateWriteTurns,
  turnsFromPrimary,
  turnsInPrimary,
  WRITE_TURNS_ENV,
  type WriteTurnArbiter,
} from './db/sqlite-write-turns.js';
import { NotificationWorker } from './modules/notifications/delivery/notification-worker.js';
import {
  forwardOutboxSignals,
  OUTBOX_WRITTEN_MESSAGE,
} from './modules/notifications/outbox/notification-outbox-signal.js';
import { TokenKeys } from './modules/oauth/keys/access-token.js';

/** Listens with one process or a cluster, as configured. */
export async function startServer(config: Readonly<Config>): Promise<void> {
  if (config.workers <= 1 || cluster.isWorker) {
    await startSingle(config);
    return;
  }
  await startPrimary(config);
}

async function startSingle(config: Readonly<Config>): Promise<FastifyInstance> {
  // Set by our primary on the workers it arbitrates for (SQLite only); not user configuration.
  const takesTurns = cluster.isWorker && process.env[WRITE_TURNS_ENV] === '1';
  // In a cluster the primary delivers notifications; workers only wake it up.
  const inCluster = cluster.isWorker;
  const app = await buildApp(
    inCluster ? { ...config, notificationDelivery: false } : config,
    takesTurns ? { writeTurns: turnsFromPrimary() } : {},
  );
  if (inCluster && config.notificationDelivery) {
    forwardOutboxSignals((message) => process.send?.(message));
  }
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    try {
      await app.close();
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  return app;
}

/**
 * Notification delivery in a cluster primary. The primary serves no requests, so it delivers:
 * one claimer per instance (with SQLite, fewer writers contending for the lock), unaffected by
 * worker restarts; workers wake it through IPC when they commit notifications.
 */
export function startClusterDelivery(
  config: Readonly<Config>,
  arbiter: WriteTurnArbiter | undefined,
): { stop(): Promise<void> } {
  // SQLite: the primary's own writes (claims, outcomes) queue for the workers' write turns.
  const handle = connectDatabase(
    config.database,
    arbiter ? { writeTurns: turnsInPrimary(arbiter) } : {},
  );
  const delivery = new NotificationWorker(handle, {
    timeoutMs: config.notificationTimeoutMs,
    allowPrivateTargets: config.notificationAllowPrivateTargets,
    log: pino({ level: config.logLevel }),
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

async function startPrimary(config: Readonly<Config>): Promise<void> {
  // Migrate and create the first signing key here, so that workers never race to do it.
  const handle = connectDatabase(config.database);
  try {
    await migrateToLatest(handle.db, handle.dialect);
    await TokenKeys.load(handle.db, config.tokenIssuer);
  } finally {
    await handle.close();
  }
  const sqlite = config.database.dialect === 'sqlite';
  const arbiter = sqlite ? arbitrateWriteTurns(cluster) : undefined;
  const delivery = config.notificationDelivery ? startClusterDelivery(config, arbiter) : undefined;
  let exiting = false;
  const exit = () => {
    if (exiting) return;
    exiting = true;
    void (async () => {
      try {
        await delivery?.stop();
      } finally {
        process.exit(process.exitCode ?? 0);
      }
    })();
  };
  let stopping = false;
  let failedStarts = 0;
  const workers = new Set<Worker>();
  const fork = () => {
    const worker = cluster.fork(sqlite ? { [WRITE_TURNS_ENV]: '1' } : {});
    let listening = false;
    workers.add(worker);
    worker.once('listening', () => {
      listening = true;
      failedStarts = 0;
    });
    worker.on('exit', (code, signal) => {
      workers.delete(worker);
      if (stopping) {
        if (workers.size === 0) exit();
        return;
      }
      // A worker that cannot even start (port taken, bad database) would only die again.
      if (!listening && ++failedStarts >= 3) {
        console.error('workers keep failing to start; stopping');
        stop('SIGTERM');
        process.exitCode = 1;
        return;
      }
      console.error(`worker ${worker.process.pid} died (${signal ?? code}); starting another`);
      fork();
    });
  };
  for (let i = 0; i < config.workers; i++) fork();
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const worker of workers) worker.process.kill(signal);
    if (workers.size === 0) exit();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
