/**
 * `npm start` as an operator (or systemd, or `docker stop`) runs it: node runs the compiled
 * build as npm's own child, so a signal reaches the server; the server lets a request in flight
 * finish, then exits well within 10 s, leaving no process behind.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedDatabase, validateSeedFile } from '../src/modules/accounts/seed/seed.service.js';
import { exited, isRunning } from './helpers/processes.js';
import { testDialect } from './helpers/test-app.js';
import { freePort, waitUntilUp } from './helpers/wait-for.js';

const root = path.resolve(import.meta.dirname, '..');
const user = { loginId: 'npm-start@example.com', password: 'pw-npm-start-0123' };
const client = { clientId: 'npm-start-tmc', clientSecret: 'secret-npm-start-0123456789' };
const TRIP_NS = 'http://www.concursolutions.com/api/travel/trip/2010/06';
let dir = '';
let file = '';
const children: ChildProcess[] = [];

function npmStart(port: number, workers: number): ChildProcess {
  const child = spawn('npm', ['start'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: `sqlite:${file}`,
      PORT: String(port),
      HOST: '127.0.0.1',
      WORKERS: String(workers),
      LOG_LEVEL: 'silent',
    },
    stdio: 'ignore',
  });
  children.push(child);
  return child;
}

/** `pid` and every process below it. */
function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    // pgrep exits 1 when there is none
  }
  return [pid, ...children.flatMap(processTree)];
}

function commandOf(pid: number): string {
  return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
}

async function accessToken(url: string): Promise<string> {
  const response = await fetch(`${url}/oauth2/v0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: client.clientId,
      client_secret: client.clientSecret,
      username: user.loginId,
      password: user.password,
    }).toString(),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/**
 * Starts a trip POST and sends only the first half of its body: the request is in flight until
 * `finish` sends the rest. Resolves `answer` with the status and body.
 */
function halfSentTripPost(url: string, token: string) {
  const body = Buffer.from(
    `<?xml version="1.0" encoding="utf-8"?><Itinerary xmlns="${TRIP_NS}">` +
      '<TripName>In flight</TripName><Bookings><Booking><RecordLocator>FLIGHT1</RecordLocator>' +
      '<BookingSource>TestTMC</BookingSource><Segments><Car>' +
      '<StartDateLocal>2030-06-01T09:00:00</StartDateLocal>' +
      '<EndDateLocal>2030-06-02T18:00:00</EndDateLocal></Car></Segments></Booking></Bookings>' +
      '</Itinerary>',
  );
  const request = http.request(`${url}/api/travel/trip/v1.1`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/xml',
      'content-length': body.length,
    },
  });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.on('response', (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    request.on('error', reject);
  });
  const half = Math.floor(body.length / 2);
  request.write(body.subarray(0, half));
  return {
    answer,
    finish: () => request.end(body.subarray(half)),
  };
}

describe.skipIf(testDialect() !== 'sqlite')('npm start', () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-npm-start-'));
    file = path.join(dir, 'npm-start.db');
    const database = connectDatabase({ dialect: 'sqlite', filename: file });
    await migrateToLatest(database.db, database.dialect);
    await seedDatabase(
      database.db,
      validateSeedFile({
        companies: [{ name: 'Npm Start', region: 'us' }],
        users: [{ ...user, company: 'Npm Start' }],
        apps: [
          {
            ...client,
            name: 'Npm Start TMC',
            kind: 'tmc',
            scopes: ['ITINER'],
            companies: ['Npm Start'],
          },
        ],
      }),
    );
    await database.close();
  });

  afterAll(async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    await Promise.all(children.map(exited));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs the compiled build under node, which drains a request in flight on SIGTERM', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const npm = npmStart(port, 1);
    await waitUntilUp(url, npm);
    const tree = processTree(npm.pid ?? 0);
    // npm, then node itself (no shell, no tsx in between): the process a signal is sent to.
    expect(tree).toHaveLength(2);
    const server = tree[1] as number;
    expect(commandOf(server)).toMatch(/^node dist\/cli\.js serve$/);

    const token = await accessToken(url);
    const inFlight = halfSentTripPost(url, token);
    await new Promise((r) => setTimeout(r, 200));
    const signalled = Date.now();
    process.kill(server, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    // New connections are refused while the request in flight is still served.
    await expect(fetch(`${url}/.well-known/openid-configuration`)).rejects.toThrow();
    inFlight.finish();
    const answer = await inFlight.answer;
    expect(answer.status, answer.body).toBe(200);
    expect(answer.body).toContain('<TripId>');

    expect(await exited(npm)).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(tree.filter(isRunning)).toEqual([]);
  }, 60_000);

  it('stops a cluster on SIGINT to npm, leaving no process behind', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const npm = npmStart(port, 2);
    await waitUntilUp(url, npm);
    // npm, the cluster primary and its two workers.
    const tree = processTree(npm.pid ?? 0);
    expect(tree).toHaveLength(4);
    const signalled = Date.now();
    npm.kill('SIGINT');
    await exited(npm);
    await new Promise((r) => setTimeout(r, 200));
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(tree.filter(isRunning)).toEqual([]);
  }, 60_000);
});
