/**
 * /metrics of a real cluster (`itinera serve` with WORKERS=2 on a temporary SQLite file): a
 * scrape lands on one worker and answers the sum over both workers and the primary, whichever
 * worker it lands on.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSamples, sampleSum } from '../helpers/metrics-text.js';
import { testDialect } from '../helpers/test-app.js';
import { freePort, waitFor, waitUntilUp } from '../helpers/wait-for.js';

const root = path.resolve(import.meta.dirname, '../..');
const REQUESTS = 24;
let dir = '';
let child: ChildProcess | undefined;
let stdout = '';

/** A GET on a connection of its own, so that the cluster spreads the requests over workers. */
function getOnNewConnection(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

/** The JSON log lines of the cluster so far. */
function logLines(): { pid?: number; msg?: string; url?: string }[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { pid?: number; msg?: string; url?: string });
}

// SQLite: the cluster runs on a temporary file without any server (the aggregation itself does
// not depend on the dialect).
describe.skipIf(testDialect() !== 'sqlite')('GET /metrics on a cluster of two workers', () => {
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-cluster-metrics-'));
  });

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers the requests of both workers and the primary’s series', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: `sqlite:${path.join(dir, 'cluster.db')}`,
        PORT: String(port),
        HOST: '127.0.0.1',
        WORKERS: '2',
        LOG_LEVEL: 'info',
        METRICS_PUBLIC: 'true',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    await waitUntilUp(url, child);
    // Both workers listen (each logs it with its pid).
    await waitFor(
      () =>
        new Set(
          logLines()
            .filter((line) => line.msg?.startsWith('Server listening'))
            .map((line) => line.pid),
        ).size === 2,
      30_000,
      'both workers to listen',
    );

    for (let i = 0; i < REQUESTS; i++) {
      expect((await getOnNewConnection(`${url}/healthz`)).status).toBe(200);
    }
    // Both workers served some of them (each request's log line carries its worker's pid).
    const served = await waitFor(
      () => {
        const lines = logLines().filter(
          (line) => line.msg === 'request' && line.url === '/healthz',
        );
        return lines.length === REQUESTS && lines;
      },
      10_000,
      'the request log lines',
    );
    expect(new Set(served.map((line) => line.pid)).size).toBe(2);

    const healthz = { route: '/healthz', method: 'GET', status_code: '200' };
    const count = 'itinera_http_request_duration_seconds_count';
    // Scrapes land on either worker: each answers the cluster's total.
    for (let i = 0; i < 4; i++) {
      const scrape = await getOnNewConnection(`${url}/metrics`);
      expect(scrape.status, scrape.body).toBe(200);
      expect(sampleSum(scrape.body, count, healthz)).toBe(REQUESTS);
      // One family per metric, whatever the number of processes (a parse would fail otherwise).
      expect(scrape.body.match(/^# TYPE itinera_http_request_duration_seconds /gm)).toHaveLength(1);
      expect(parseSamples(scrape.body).length).toBeGreaterThan(0);
    }
    // The primary's own series are in the sum: its delivery worker claims through the write
    // path (SQLite), which only the primary does in this cluster.
    const writes = await waitFor(async () => {
      const text = (await getOnNewConnection(`${url}/metrics`)).body;
      const value = sampleSum(text, 'itinera_db_write_duration_seconds_count');
      return value > 0 && value;
    });
    expect(writes).toBeGreaterThan(0);
  }, 90_000);
});
