/**
 * Child process: the real Itinera app on an existing SQLite file (embedded default settings
 * from connect.ts: WAL, synchronous=NORMAL), silent logging, 127.0.0.1 only.
 * Like `npm start`, it serves with one worker process per CPU (BENCH_WORKERS to change): this
 * process is then the cluster primary and relays the benchmark's control messages.
 * Usage (from scripts/bench.ts): node --import tsx itinera-server.ts DB_FILE
 */
import cluster, { type Worker } from 'node:cluster';
import net from 'node:net';
import { availableParallelism } from 'node:os';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { connectDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import {
  arbitrateWriteTurns,
  turnsFromPrimary,
  WRITE_TURNS_ENV,
} from '../../src/db/sqlite-write-turns.js';
import { forwardOutboxSignals } from '../../src/modules/notifications/outbox/notification-outbox-signal.js';
import { TokenKeys } from '../../src/modules/oauth/keys/access-token.js';
import { startClusterDelivery } from '../../src/server.js';
import {
  type ChildMessage,
  type ControlMessage,
  failStartup,
  serveForBenchmark,
} from './child-protocol.js';

const WORKERS = Number(process.env.BENCH_WORKERS ?? availableParallelism());

function configFor(file: string) {
  // Only these variables: the caller's own environment (PUBLIC_BASE_URL, …) must not leak in.
  // The rate limits stay on, out of reach of one tenant's load: their cost is measured, and no
  // request is refused (the default 4,000 a minute would refuse most of the load).
  return loadConfig({
    DATABASE_URL: `sqlite:${file}`,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '1000000000',
    RATE_LIMIT_PER_HOUR: '1000000000',
    // The notification scenario's receiver listens on 127.0.0.1.
    NOTIFICATION_ALLOW_PRIVATE_TARGETS: 'true',
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** Sends a control message to a worker and waits for the reply of the given type. */
function ask<T extends ChildMessage['type']>(
  worker: Worker,
  message: ControlMessage,
  reply: T,
): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve) => {
    const onMessage = (answer: ChildMessage) => {
      if (answer.type !== reply) return;
      worker.off('message', onMessage);
      resolve(answer as Extract<ChildMessage, { type: T }>);
    };
    worker.on('message', onMessage);
    worker.send(message);
  });
}

async function primary(file: string): Promise<void> {
  const config = configFor(file);
  const handle = connectDatabase(config.database);
  await migrateToLatest(handle.db, handle.dialect);
  await TokenKeys.load(handle.db, config.tokenIssuer);
  await handle.close();
  const port = await freePort();
  // As `npm start` does (src/server.ts); BENCH_WRITE_TURNS=0 measures without.
  const turns = process.env.BENCH_WRITE_TURNS !== '0';
  const arbiter = turns ? arbitrateWriteTurns(cluster) : undefined;
  // As `itinera serve` does: the primary delivers notifications, workers wake it.
  startClusterDelivery(config, arbiter);
  const workers = Array.from({ length: WORKERS }, () =>
    cluster.fork({
      BENCH_PORT: String(port),
      BENCH_DB: file,
      ...(turns ? { [WRITE_TURNS_ENV]: '1' } : {}),
    }),
  );
  await Promise.all(workers.map((w) => new Promise((r) => w.once('message', r))));
  const send = (message: ChildMessage) => process.send?.(message);
  const stopAll = () => {
    for (const worker of workers) worker.kill();
    process.exit(0);
  };
  process.on('message', (raw: ControlMessage) => {
    void (async () => {
      switch (raw.type) {
        case 'rss': {
          const sizes = await Promise.all(workers.map((w) => ask(w, raw, 'rss')));
          send({
            type: 'rss',
            rss: sizes.reduce((sum, m) => sum + m.rss, process.memoryUsage().rss),
          });
          return;
        }
        // One worker's profile stands for all: they run the same code on the same load.
        case 'profile-start':
          send(await ask(workers[0]!, raw, 'profile-started'));
          return;
        case 'profile-stop':
          send(await ask(workers[0]!, raw, 'profile-stopped'));
          return;
        case 'stop':
          stopAll();
      }
    })().catch((error: unknown) => send({ type: 'failed', message: String(error) }));
  });
  process.on('disconnect', stopAll);
  send({ type: 'listening', port });
}

async function main(): Promise<void> {
  if (cluster.isWorker) {
    const file = process.env.BENCH_DB ?? '';
    const options = process.env[WRITE_TURNS_ENV] === '1' ? { writeTurns: turnsFromPrimary() } : {};
    const app = await buildApp({ ...configFor(file), notificationDelivery: false }, options);
    forwardOutboxSignals((message) => process.send?.(message));
    await serveForBenchmark(app, Number(process.env.BENCH_PORT));
    return;
  }
  const file = process.argv[2];
  if (!file) throw new Error('usage: itinera-server.ts DB_FILE');
  if (WORKERS <= 1) {
    await serveForBenchmark(await buildApp(configFor(file)));
    return;
  }
  await primary(file);
}

main().catch(failStartup);
