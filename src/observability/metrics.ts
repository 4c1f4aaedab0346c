/**
 * The Prometheus metrics of this process: one registry and every metric Itinera counts, defined
 * once here so that modules and src/db only increment them. Cross-cutting: imports no feature
 * module; what needs the database at scrape time (the outbox gauges) is given a probe by the
 * app (`setOutboxProbe`).
 *
 * Label sets that are fixed are bound once (`.labels(...)` children), so the hot paths do no
 * label hashing set-up of their own. In a cluster the registries of the workers and of the
 * primary are summed (cluster-metrics.ts); gauges that every process reads from the same
 * database say `aggregator: 'max'` so that they are not multiplied by the number of workers.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** This process's registry: what `/metrics` (or the cluster primary) collects. */
export const registry = new Registry();

// Seconds, from a sub-millisecond read to a request that hits the 10 s busy give-up.
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Requests by route pattern (never the raw URL: it carries ids), method and status. */
export const httpRequestDuration = new Histogram({
  name: 'itinera_http_request_duration_seconds',
  help: 'HTTP requests by route pattern, method and status code: time to the response sent',
  labelNames: ['route', 'method', 'status_code'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

/** Write units of work (`DatabaseHandle.write`): queueing, lock and transaction to the commit. */
export const dbWriteDuration = new Histogram({
  name: 'itinera_db_write_duration_seconds',
  help: "Database write units of work: time from the request to the commit (includes waiting for the traveller's lock or SQLite's write turn)",
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

/** Statements retried because another process held SQLite's write lock. */
export const dbBusyRetries = new Counter({
  name: 'itinera_db_busy_retries_total',
  help: 'SQLite statements retried because another process held the write lock (SQLITE_BUSY)',
  registers: [registry],
});

const deliveries = new Counter({
  name: 'itinera_notification_deliveries_total',
  help: 'Notification delivery attempts recorded, by outcome (delivered, retry, dead)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

/** Delivery attempts by the outcome recorded on the row. */
export const notificationDeliveries = {
  delivered: deliveries.labels('delivered'),
  retry: deliveries.labels('retry'),
  dead: deliveries.labels('dead'),
};

const events = new Counter({
  name: 'itinera_event_deliveries_total',
  help: 'ESS v4 event delivery attempts by the outcome recorded on the event',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

/** ESS event delivery attempts by outcome (docs/EVENTS.md). */
export const eventDeliveries = {
  delivered: events.labels('delivered'),
  retry: events.labels('retry'),
  dead: events.labels('dead'),
};

/** Requests refused with 429 by the request limits. */
export const rateLimitRefusals = new Counter({
  name: 'itinera_rate_limit_refusals_total',
  help: 'Requests refused with 429 because their app and company were over a request limit',
  registers: [registry],
});

const signIns = new Counter({
  name: 'itinera_sign_in_failures_total',
  help: 'Failed sign-ins (password grant, sign-in page, client authentication) by reason',
  labelNames: ['reason'] as const,
  registers: [registry],
});

/** Failed sign-ins by reason; never by login id (personal data, unbounded). */
export const signInFailures = {
  unknownUser: signIns.labels('unknown_user'),
  wrongPassword: signIns.labels('wrong_password'),
  throttled: signIns.labels('throttled'),
  unknownClient: signIns.labels('unknown_client'),
  wrongClientSecret: signIns.labels('wrong_client_secret'),
};

/** What the outbox holds now, read from the database at scrape time. */
export interface OutboxBacklog {
  /** Rows still to be delivered. */
  pending: number;
  /** When the oldest of them was written (epoch ms); null when there is none. */
  oldestCreatedAt: number | null;
}

// The probes of the apps open in this process, newest last (tests build several at once).
const outboxProbes: (() => Promise<OutboxBacklog>)[] = [];
let outboxRead: Promise<OutboxBacklog | undefined> | undefined;

// A scrape must answer in time even when the database does not (SQLite: a write waiting for
// another process's lock holds the connection for up to 10 s).
const OUTBOX_READ_TIMEOUT_MS = 1_000;

/**
 * Reads the backlog once per scrape for both gauges. A failed or slow read gives NaN
 * ("unknown") rather than failing the whole scrape: the process metrics stay useful while the
 * database is down.
 */
function readOutbox(): Promise<OutboxBacklog | undefined> {
  const probe = outboxProbes.at(-1);
  if (!probe) return Promise.resolve(undefined);
  if (!outboxRead) {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), OUTBOX_READ_TIMEOUT_MS);
    });
    outboxRead = Promise.race([probe(), late])
      .catch(() => ({ pending: Number.NaN, oldestCreatedAt: Number.NaN }))
      .finally(() => {
        clearTimeout(timer);
        outboxRead = undefined;
      });
  }
  return outboxRead;
}

new Gauge({
  name: 'itinera_notification_outbox_pending',
  help: 'Notifications waiting in the outbox to be delivered',
  // Every worker reads the same table: the cluster answer is one reading, not their sum.
  aggregator: 'max',
  registers: [registry],
  async collect() {
    const backlog = await readOutbox();
    if (backlog) this.set(backlog.pending);
  },
});

new Gauge({
  name: 'itinera_notification_outbox_oldest_pending_age_seconds',
  help: 'Age of the oldest notification waiting in the outbox (0 when none waits)',
  aggregator: 'max',
  registers: [registry],
  async collect() {
    const backlog = await readOutbox();
    if (!backlog) return;
    const oldest = backlog.oldestCreatedAt;
    this.set(oldest === null ? 0 : Math.max(0, (Date.now() - oldest) / 1000));
  },
});

/**
 * Gives the outbox gauges their database read; returns the function that takes it back (an app
 * closing). Of the apps open in a process, the one built last is read (tests build several).
 */
export function setOutboxProbe(probe: () => Promise<OutboxBacklog>): () => void {
  outboxProbes.push(probe);
  return () => {
    const index = outboxProbes.lastIndexOf(probe);
    if (index >= 0) outboxProbes.splice(index, 1);
  };
}

let processMetrics = false;

/** Adds prom-client's process metrics (CPU, memory, event loop, GC) once per process. */
export function enableProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: registry });
}

/** This process's metrics in the Prometheus text format. */
export function localMetricsText(): Promise<string> {
  return registry.metrics();
}

/** The content type of the text format. */
export const METRICS_CONTENT_TYPE = registry.contentType;
