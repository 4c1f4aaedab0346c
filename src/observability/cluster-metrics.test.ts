/**
 * The cluster's metrics exchange without processes: a fake cluster whose workers answer
 * prom-client's request with registries made here; the primary sums them with its own, answers
 * the asking worker, finishes without a worker that exits, and reports one that never answers.
 */
import type { Cluster } from 'node:cluster';
import { EventEmitter } from 'node:events';
import { Counter, Gauge, Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { metricsFromPrimary, serveClusterMetrics } from './cluster-metrics.js';

/** A worker's registry: a counter at `count` and an outbox-like gauge at `gauge`. */
async function workerMetrics(count: number, gauge: number): Promise<object[]> {
  const registry = new Registry();
  new Counter({ name: 'test_requests_total', help: 'h', registers: [registry] }).inc(count);
  new Gauge({ name: 'test_backlog', help: 'h', aggregator: 'max', registers: [registry] }).set(
    gauge,
  );
  return [await registry.getMetricsAsJSON()];
}

interface FakeWorker {
  id: number;
  sent: unknown[];
  isConnected(): boolean;
  send(message: unknown): boolean;
}

function fakeCluster() {
  const cluster = new EventEmitter();
  const worker = (id: number, answer?: () => Promise<object[]>): FakeWorker => {
    const fake: FakeWorker = {
      id,
      sent: [],
      isConnected: () => true,
      send(message) {
        fake.sent.push(message);
        const request = message as { type?: string; requestId?: number };
        if (request.type === 'prom-client:getMetricsReq' && answer) {
          void answer().then((metrics) =>
            cluster.emit('message', fake, {
              type: 'prom-client:getMetricsRes',
              requestId: request.requestId,
              metrics,
            }),
          );
        }
        return true;
      },
    };
    return fake;
  };
  return { cluster, worker };
}

/** Sends a worker's request for the cluster's text and waits for the primary's answer. */
async function ask(cluster: EventEmitter, from: FakeWorker): Promise<Record<string, unknown>> {
  const before = from.sent.length;
  cluster.emit('message', from, { itineraMetrics: 'request', id: 7 });
  await vi.waitFor(() => {
    if (!from.sent.slice(before).some((m) => (m as { itineraMetrics?: string }).itineraMetrics))
      throw new Error('no answer yet');
  });
  return from.sent
    .slice(before)
    .find((m) => (m as { itineraMetrics?: string }).itineraMetrics) as Record<string, unknown>;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('serveClusterMetrics', () => {
  it("sums the listening workers' counters, takes the largest gauge, and answers the asker", async () => {
    const { cluster, worker } = fakeCluster();
    const server = serveClusterMetrics(cluster as unknown as Cluster);
    const a = worker(1, () => workerMetrics(2, 10));
    const b = worker(2, () => workerMetrics(3, 12));
    const starting = worker(3); // not listening yet: not asked
    cluster.emit('listening', a);
    cluster.emit('listening', b);
    const answer = await ask(cluster, a);
    server.stop();
    expect(answer).toMatchObject({ itineraMetrics: 'answer', id: 7 });
    const text = answer.text as string;
    expect(text).toMatch(/^test_requests_total 5$/m);
    expect(text).toMatch(/^test_backlog 12$/m);
    // The primary's own registry is in the answer too.
    expect(text).toContain('# TYPE itinera_http_request_duration_seconds histogram');
    expect(starting.sent).toEqual([]);
  });

  it('finishes without a worker that exits before answering', async () => {
    const { cluster, worker } = fakeCluster();
    const server = serveClusterMetrics(cluster as unknown as Cluster);
    const a = worker(1, () => workerMetrics(4, 1));
    const silent = worker(2);
    cluster.emit('listening', a);
    cluster.emit('listening', silent);
    const pending = ask(cluster, a);
    await vi.waitFor(() => expect(silent.sent).toHaveLength(1));
    cluster.emit('exit', silent);
    const answer = await pending;
    server.stop();
    expect(answer.text as string).toMatch(/^test_requests_total 4$/m);
  });

  it('answers an error when a worker never answers', async () => {
    vi.useFakeTimers();
    const { cluster, worker } = fakeCluster();
    const server = serveClusterMetrics(cluster as unknown as Cluster);
    const a = worker(1, () => workerMetrics(1, 1));
    const silent = worker(2);
    cluster.emit('listening', a);
    cluster.emit('listening', silent);
    cluster.emit('message', a, { itineraMetrics: 'request', id: 9 });
    await vi.advanceTimersByTimeAsync(5_001);
    server.stop();
    expect(a.sent.at(-1)).toEqual({
      itineraMetrics: 'answer',
      id: 9,
      error: 'a worker did not answer the metrics request in time',
    });
  });
});

describe('metricsFromPrimary', () => {
  it("resolves with the primary's text, and rejects its error", async () => {
    const channel = new EventEmitter();
    const sent: { id: number }[] = [];
    const fetchText = metricsFromPrimary({
      send: (message) => {
        sent.push(message as { id: number });
        return true;
      },
      on: (event, listener) => channel.on(event, listener),
    });
    const first = fetchText();
    const second = fetchText();
    expect(sent.map((m) => m.id)).toEqual([0, 1]);
    channel.emit('message', { itineraMetrics: 'answer', id: 1, error: 'boom' });
    channel.emit('message', { itineraMetrics: 'answer', id: 0, text: 'x 1\n' });
    await expect(first).resolves.toBe('x 1\n');
    await expect(second).rejects.toThrow('boom');
  });
});
