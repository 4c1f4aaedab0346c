/**
 * A node:cluster primary: it prepares the database once, arbitrates the workers' SQLite write
 * turns, delivers notifications, forks the workers that share the port (and another for each
 * one that dies), and stops them all on SIGINT/SIGTERM. It serves no requests itself.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Config } from '../config.js';
import { arbitrateWriteTurns, WRITE_TURNS_ENV } from '../db/sqlite-write-turns.js';
import { serveClusterMetrics } from '../observability/cluster-metrics.js';
import { enableProcessMetrics } from '../observability/metrics.js';
import { startClusterDelivery } from './cluster-delivery.js';
import { DRAIN_DEADLINE_MS } from './drain-deadline.js';
import { prepareDatabase } from './prepare-database.js';
import { workerExecArgv } from './worker-flags.js';

/**
 * How long the primary waits for its workers to drain before killing them: a little longer than
 * a worker's own drain deadline, so that a worker normally exits by itself.
 */
const WORKER_KILL_AFTER_MS = DRAIN_DEADLINE_MS + 1_000;

/** What differs between the primary of `itinera serve` and the benchmark's. */
export interface ClusterPrimaryHooks {
  /** More environment for every forked worker (the benchmark passes its port and database). */
  workerEnv?: Readonly<Record<string, string>>;
  /** Whether the workers take write turns from the primary; SQLite only, default true. */
  writeTurns?: boolean;
  /** Called when a worker listens: each of the first ones, and each one forked again. */
  onWorkerListening?: (worker: Worker) => void;
  /** Called once every worker has exited and delivery has stopped; default `process.exit`. */
  onStopped?: (exitCode: number) => void;
}

/** A running primary. */
export interface ClusterPrimary {
  /** The workers alive now, oldest first. */
  workers(): Worker[];
  /**
   * Sends `signal` to every worker and stops delivery; once all workers have exited and
   * delivery has stopped, calls `onStopped` (exit code 0; 1 if a worker had to be killed after
   * its drain deadline). Later calls do nothing.
   */
  stop(signal?: NodeJS.Signals): void;
}

/** Workers that die before listening, in a row, after which the primary stops with code 1. */
const MAX_FAILED_STARTS = 3;

/**
 * Prepares the database, then forks `config.workers` workers (which must call the worker side,
 * e.g. `runClusterWorker`, when `cluster.isWorker`) and keeps that many running until stopped.
 */
export async function startClusterPrimary(
  config: Readonly<Config>,
  hooks: ClusterPrimaryHooks = {},
): Promise<ClusterPrimary> {
  // Migrations and the first signing key here, so that workers never race to create them.
  await prepareDatabase(config);
  const turns = config.database.dialect === 'sqlite' && (hooks.writeTurns ?? true);
  const arbiter = turns ? arbitrateWriteTurns(cluster) : undefined;
  // A worker's /metrics answers the sum over the workers and this primary (delivery counters).
  enableProcessMetrics();
  serveClusterMetrics(cluster);
  const delivery = config.notificationDelivery ? startClusterDelivery(config, arbiter) : undefined;
  const workerEnv = { ...hooks.workerEnv, ...(turns ? { [WRITE_TURNS_ENV]: '1' } : {}) };
  const onStopped = hooks.onStopped ?? ((code: number) => process.exit(code));
  const workers = new Set<Worker>();
  let stopping = false;
  let finished = false;
  let exitCode = 0;
  let failedStarts = 0;

  let deliveryStopped: Promise<void> | undefined;
  const stopDelivery = () => {
    deliveryStopped ??= (delivery?.stop() ?? Promise.resolve()).catch((error: unknown) => {
      console.error('error stopping notification delivery', error);
    });
    return deliveryStopped;
  };
  let reported = false;
  const report = (code: number) => {
    if (reported) return;
    reported = true;
    onStopped(code);
  };
  const finish = () => {
    if (finished) return;
    finished = true;
    void stopDelivery().then(() => report(exitCode));
  };
  const stop = (signal: NodeJS.Signals = 'SIGTERM') => {
    if (stopping) return;
    stopping = true;
    for (const worker of workers) worker.process.kill(signal);
    // Delivery stops while the workers drain: its attempts in flight finish meanwhile.
    void stopDelivery();
    // A worker stuck past its own deadline must not keep the service from stopping.
    setTimeout(() => {
      for (const worker of workers) {
        console.error(`worker ${worker.process.pid} did not stop in time; killing it`);
        exitCode = 1;
        worker.process.kill('SIGKILL');
      }
    }, WORKER_KILL_AFTER_MS).unref();
    // Nor a delivery attempt stuck past the deadline (its lease runs out: it is retried).
    setTimeout(() => {
      if (reported) return;
      console.error('did not stop in time; exiting');
      report(1);
    }, WORKER_KILL_AFTER_MS + 500).unref();
    if (workers.size === 0) finish();
  };
  const fork = () => {
    const worker = cluster.fork(workerEnv);
    let listening = false;
    workers.add(worker);
    worker.once('listening', () => {
      listening = true;
      failedStarts = 0;
      hooks.onWorkerListening?.(worker);
    });
    worker.on('exit', (code, signal) => {
      workers.delete(worker);
      if (stopping) {
        if (workers.size === 0) finish();
        return;
      }
      // A worker that cannot even start (port taken, bad database) would only die again.
      if (!listening && ++failedStarts >= MAX_FAILED_STARTS) {
        console.error('workers keep failing to start; stopping');
        exitCode = 1;
        stop('SIGTERM');
        return;
      }
      console.error(`worker ${worker.process.pid} died (${signal ?? code}); starting another`);
      fork();
    });
  };

  // The workers accept their connections themselves from the shared listening socket. Under
  // node's default round-robin the primary accepts every connection and hands it to a worker:
  // a flood of connections that never finish then piles descriptors up in the primary, which
  // ran out of them and never recovered (issue 16). Set before the first fork, which reads it.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  // A lighter young generation in every worker, unless the operator set it (worker-flags.ts).
  cluster.setupPrimary({ execArgv: workerExecArgv(process.execArgv, process.env.NODE_OPTIONS) });
  for (let i = 0; i < config.workers; i++) fork();
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  return { workers: () => [...workers], stop };
}
