/**
 * `/metrics` in a node:cluster: a scrape lands on one worker, which must answer the sum over
 * every worker and the primary (the primary delivers notifications, so their counters live
 * there).
 *
 * - Every worker answers prom-client's own metrics request (`AggregatorRegistry`, which listens
 *   for it once constructed in a worker) with its registry as JSON.
 * - The scraping worker asks the primary (`itineraMetrics: 'request'`); the primary sends
 *   prom-client's request to every worker that is listening, adds its own registry and sums
 *   them with `AggregatorRegistry.aggregate`, and sends the text back.
 *
 * The primary does not use `clusterMetrics()`: it asks the workers only and answers text, so
 * the primary's own series could not be merged into it without duplicate metric families.
 * For the same reason the primary never constructs an `AggregatorRegistry`: prom-client's
 * primary-side listener would take our answers for its own requests (and fail on them).
 */
import type { Cluster, Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { registry } from './metrics.js';

// prom-client's request and answer (lib/cluster.js), which its worker-side listener handles.
const PROM_REQUEST = 'prom-client:getMetricsReq';
const PROM_ANSWER = 'prom-client:getMetricsRes';
const KEY = 'itineraMetrics';

/** How long the primary waits for every worker, and a worker for the primary. */
const COLLECT_TIMEOUT_MS = 5_000;

type ItineraMessage =
  | { [KEY]: 'request'; id: number }
  | { [KEY]: 'answer'; id: number; text?: string; error?: string };

interface PromAnswer {
  type: typeof PROM_ANSWER;
  requestId: number;
  /** One registry's `getMetricsAsJSON()` per registry of the worker. */
  metrics?: object[];
  error?: string;
}

function isItinera(message: unknown): message is ItineraMessage {
  return typeof message === 'object' && message !== null && KEY in message;
}

function isPromAnswer(message: unknown): message is PromAnswer {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === PROM_ANSWER
  );
}

interface Collection {
  waiting: Set<number>;
  responses: object[];
  done: (error: Error | undefined) => void;
}

/** The primary's side, running until `stop`. */
export interface ClusterMetricsServer {
  stop(): void;
}

/**
 * Serves the workers' requests for the cluster's metrics. Call once in the primary, before
 * forking. Workers are asked once they listen (before that they may not answer yet).
 */
export function serveClusterMetrics(cluster: Cluster): ClusterMetricsServer {
  const listening = new Set<Worker>();
  const collections = new Map<number, Collection>();
  let nextId = 0;

  const collect = (): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      const id = nextId++;
      const workers = [...listening].filter((worker) => worker.isConnected());
      const collection: Collection = {
        waiting: new Set(workers.map((worker) => worker.id)),
        responses: [],
        done: (error) => {
          clearTimeout(timer);
          collections.delete(id);
          if (error) return reject(error);
          registry
            .getMetricsAsJSON()
            .then((own) => {
              const all = [...collection.responses, own];
              return AggregatorRegistry.aggregate(all).metrics();
            })
            .then(resolve, reject);
        },
      };
      const timer = setTimeout(
        () => collection.done(new Error('a worker did not answer the metrics request in time')),
        COLLECT_TIMEOUT_MS,
      );
      collections.set(id, collection);
      for (const worker of workers) worker.send({ type: PROM_REQUEST, requestId: id });
      if (workers.length === 0) collection.done(undefined);
    });

  const onMessage = (worker: Worker, message: unknown) => {
    if (isPromAnswer(message)) {
      const collection = collections.get(message.requestId);
      if (!collection?.waiting.delete(worker.id)) return;
      if (message.error !== undefined) return collection.done(new Error(message.error));
      collection.responses.push(...(message.metrics ?? []));
      if (collection.waiting.size === 0) collection.done(undefined);
    } else if (isItinera(message) && message[KEY] === 'request') {
      const { id } = message;
      collect().then(
        (text) => worker.isConnected() && worker.send({ [KEY]: 'answer', id, text }),
        (error: Error) =>
          worker.isConnected() && worker.send({ [KEY]: 'answer', id, error: error.message }),
      );
    }
  };
  const onListening = (worker: Worker) => listening.add(worker);
  const onExit = (worker: Worker) => {
    listening.delete(worker);
    // A worker that died mid-collection will not answer: finish without it.
    for (const collection of collections.values()) {
      if (collection.waiting.delete(worker.id) && collection.waiting.size === 0) {
        collection.done(undefined);
      }
    }
  };
  cluster.on('message', onMessage);
  cluster.on('listening', onListening);
  cluster.on('exit', onExit);
  return {
    stop() {
      cluster.off('message', onMessage);
      cluster.off('listening', onListening);
      cluster.off('exit', onExit);
    },
  };
}

/** What a worker needs of its IPC channel to the primary (the `process` object). */
export interface PrimaryChannel {
  send?: (message: ItineraMessage) => boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

/**
 * The worker's side: answers the primary's collections with this process's registry, and
 * returns how `/metrics` gets the cluster's text (by asking the primary).
 */
export function metricsFromPrimary(
  channel: PrimaryChannel = process as PrimaryChannel,
): () => Promise<string> {
  // Constructing it in a worker installs prom-client's answering listener (for our registry).
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  const pending = new Map<number, (answer: { text?: string; error?: string }) => void>();
  let nextId = 0;
  channel.on('message', (message) => {
    if (isItinera(message) && message[KEY] === 'answer') pending.get(message.id)?.(message);
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error('the cluster primary did not answer the metrics request in time'));
      }, COLLECT_TIMEOUT_MS + 1_000);
      pending.set(id, (answer) => {
        clearTimeout(timer);
        pending.delete(id);
        if (answer.text !== undefined) resolve(answer.text);
        else reject(new Error(answer.error ?? 'no metrics'));
      });
      if (!channel.send) {
        clearTimeout(timer);
        pending.delete(id);
        reject(new Error('no channel to the cluster primary'));
        return;
      }
      // false only means the message is queued behind others, not lost.
      channel.send({ [KEY]: 'request', id });
    });
}
