/**
 * `itinera serve`: listens in this process when `workers` is 1, else as a node:cluster primary
 * that prepares the database once and forks that many workers sharing the port. SIGINT/SIGTERM
 * close every server gracefully.
 *
 * The pieces live in src/start/, so that the benchmark (scripts/bench/itinera-server.ts) starts
 * the very same cluster: prepare-database.ts (migrations, first signing key), cluster-primary.ts
 * (write-turn arbiter, notification delivery from cluster-delivery.ts, forking, re-forking and
 * stopping workers), worker-app.ts (a worker's app: write turns, delivery left to the primary,
 * outbox wake-ups forwarded), single-process.ts (one process, listening until signalled).
 */
import cluster from 'node:cluster';
import type { Config } from './config.js';
import { startupFailure } from './start/startup-errors.js';
import { logStarted } from './start/startup-report.js';

/**
 * Listens with one process or a cluster, as configured; returns once listening or forked.
 * A failed start throws an error whose message is one line saying what to fix.
 */
export async function startServer(config: Readonly<Config>): Promise<void> {
  try {
    // Each side is imported where it runs: the primary serves no request, so it never loads
    // the app (Fastify, the routes and their schemas), which esbuild leaves in chunks of their
    // own; a worker never loads the primary's side.
    if (cluster.isWorker) {
      const { runClusterWorker } = await import('./start/worker-app.js');
      await runClusterWorker(config);
    } else if (config.workers <= 1) {
      const { runSingleProcess } = await import('./start/single-process.js');
      await runSingleProcess(config);
      await logStarted(config);
    } else {
      const { startClusterPrimary } = await import('./start/cluster-primary.js');
      await startClusterPrimary(config, { onWorkerListening: reportOnceAllListen(config) });
    }
  } catch (error) {
    throw startupFailure(error, config);
  }
}

/** The primary's hook: logs the start-up line once the first `config.workers` workers listen. */
function reportOnceAllListen(config: Readonly<Config>): () => void {
  let listening = 0;
  return () => {
    listening += 1;
    if (listening === config.workers) void logStarted(config);
  };
}
