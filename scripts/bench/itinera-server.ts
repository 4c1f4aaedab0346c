/**
 * Child process: the real Itinera app on an existing SQLite file (embedded default settings
 * from connect.ts: WAL, synchronous=NORMAL), silent logging, 127.0.0.1 only.
 * Like `npm start`, it serves with one worker process per CPU (BENCH_WORKERS to change), started
 * by the same pieces as `itinera serve` (src/start/): this process is then the cluster primary
 * and relays the benchmark's control messages. BENCH_WRITE_TURNS=0 measures without the SQLite
 * write turns.
 * Usage (from scripts/bench.ts): node --import tsx itinera-server.ts DB_FILE
 */
import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { startClusterPrimary } from '../../src/start/cluster-primary.js';
import { buildWorkerApp } from '../../src/start/worker-app.js';
import {
  type ChildMessage,
  type ControlMessage,
  failStartup,
  serveForBenchmark,
} from './child-protocol.js';
import { freePort } from './free-port.js';

const WORKERS = Number(process.env.BENCH_WORKERS ?? availableParallelism());

function configFor(file: string) {
  // Only these variables: the caller's own environment (PUBLIC_BASE_URL, …) must not leak in.
  // The rate limits stay on, out of reach of one tenant's load: their cost is measured, and no
  // request is refused (the default 4,000 a minute would refuse most of the load).
  return loadConfig({
    DATABASE_URL: `sqlite:${file}`,
    // The default (full) unless BENCH_SYNCHRONOUS names another (docs/OPERATIONS.md).
    SQLITE_SYNCHRONOUS: process.env.BENCH_SYNCHRONOUS ?? 'full',
    LOG_LEVEL: 'silent',
    WORKERS: String(Math.max(1, WORKERS)),
    RATE_LIMIT_PER_MINUTE: '1000000000',
    RATE_LIMIT_PER_HOUR: '1000000000',
    // The notification scenario's receiver listens on 127.0.0.1.
    NOTIFICATION_ALLOW_PRIVATE_TARGETS: 'true',
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
  const port = await freePort();
  const send = (message: ChildMessage) => process.send?.(message);
  let listening = 0;
  const running = await startClusterPrimary(config, {
    workerEnv: { BENCH_PORT: String(port), BENCH_DB: file },
    writeTurns: process.env.BENCH_WRITE_TURNS !== '0',
    // The benchmark starts once every worker listens (a worker forked again later is not news).
    onWorkerListening: () => {
      if (++listening === config.workers) send({ type: 'listening', port });
    },
  });
  const first = () => {
    const worker = running.workers()[0];
    if (!worker) throw new Error('no worker running');
    return worker;
  };
  process.on('message', (raw: ControlMessage) => {
    void (async () => {
      switch (raw.type) {
        case 'rss': {
          const sizes = await Promise.all(running.workers().map((w) => ask(w, raw, 'rss')));
          send({
            type: 'rss',
            rss: sizes.reduce((sum, m) => sum + m.rss, process.memoryUsage().rss),
          });
          return;
        }
        // One worker's profile stands for all: they run the same code on the same load.
        case 'profile-start':
          send(await ask(first(), raw, 'profile-started'));
          return;
        case 'profile-stop':
          send(await ask(first(), raw, 'profile-stopped'));
          return;
        case 'stop':
          running.stop();
      }
    })().catch((error: unknown) => send({ type: 'failed', message: String(error) }));
  });
  // The benchmark going away (crash, Ctrl-C) must not leave a server behind.
  process.on('disconnect', () => running.stop());
}

async function main(): Promise<void> {
  if (cluster.isWorker) {
    const app = await buildWorkerApp(configFor(process.env.BENCH_DB ?? ''));
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
