/**
 * The README's quick start, run as a newcomer would: seed with the CLI, `npm start`, the curl
 * calls of the quick-start block, then a restart to show the data survives. Runs the real
 * commands (bash, curl, npm) against a real port, on the embedded SQLite default.
 */

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hiddenFields } from './helpers/authorize-flow.js';
import { REPO_ROOT } from './helpers/reference-files.js';
import { testDialect } from './helpers/test-app.js';
import { freePort } from './helpers/wait-for.js';

const root = REPO_ROOT;
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-readme-'));
const env = {
  ...process.env,
  DATABASE_URL: `sqlite:${path.join(dataDir, 'itinera.db')}`,
  LOG_LEVEL: 'warn',
};
let server: ChildProcess | undefined;

/** The fenced bash blocks of the README, in order. */
function bashBlocks(): string[] {
  return [...readme.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
}

async function startServer(startCommand: string, port: number): Promise<ChildProcess> {
  const child = spawn('bash', ['-c', startCommand], {
    cwd: root,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/oauth2/v0/jwks`);
      if (response.ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the server did not start within 30 s');
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.pid) process.kill(-child.pid, 'SIGTERM');
  return exited;
}

afterAll(async () => {
  if (server?.pid && server.exitCode === null) process.kill(-server.pid, 'SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Runs a README bash block against the server, without its own ITINERA/CODE placeholders. */
function runBlock(block: string, base: string, extraEnv: Record<string, string> = {}): string {
  const script = block.replace(/^export ITINERA=.*$/m, '').replace(/^CODE=.*$/m, '');
  return execFileSync('bash', ['-euo', 'pipefail', '-c', script], {
    cwd: root,
    env: { ...env, ITINERA: base, ...extraEnv },
    encoding: 'utf8',
  });
}

/** The "Getting a token" section: its curl calls, and the browser step done with fetch. */
async function gettingATokenWorks(base: string): Promise<void> {
  const blocks = bashBlocks();
  const grants = blocks.find((b) => b.includes('grant_type=client_credentials'));
  const exchange = blocks.find((b) => b.includes('grant_type=authorization_code'));
  expect(grants && exchange).toBeTruthy();
  const answers = runBlock(grants!, base).match(/"access_token":"[^"]+"/g) ?? [];
  // refresh_token, client_credentials and authtoken each print a token.
  expect(answers).toHaveLength(3);

  const authorizePath = /http:\/\/localhost:8080(\/oauth2\/v0\/authorize\?\S+)/.exec(readme)?.[1];
  expect(authorizePath).toBeDefined();
  const page = await fetch(`${base}${authorizePath}`);
  expect(page.status).toBe(200);
  const signedIn = await fetch(`${base}/oauth2/v0/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      ...hiddenFields(await page.text()),
      login_id: 'alice@acme.example',
      password: 'alice-demo-password',
      action: 'allow',
    }),
  });
  expect(signedIn.status).toBe(302);
  const location = new URL(signedIn.headers.get('location') ?? '');
  expect(location.origin + location.pathname).toBe('http://localhost:8000/callback');
  expect(location.searchParams.get('state')).toBe('xyz');
  const tokens = runBlock(exchange!, base, { CODE: location.searchParams.get('code') ?? '' });
  expect(tokens).toContain('"id_token"');
}

describe.skipIf(testDialect() !== 'sqlite')('README quick start', () => {
  it('seeds, starts, serves the curl calls and keeps the data across a restart', async () => {
    const [setup, quickstart] = bashBlocks();
    expect(setup).toBeDefined();
    expect(quickstart).toBeDefined();
    const setupLines = setup!
      .split('\n')
      .map((l) => l.replace(/#.*$/, '').trim())
      .filter(Boolean);
    expect(setupLines[0]).toBe('npm install'); // already done by the test run itself
    const seed = setupLines.find((l) => l.startsWith('npx itinera seed'));
    const start = setupLines.find((l) => l.startsWith('npm start'));
    expect(seed && start).toBeTruthy();

    const seeded = execFileSync('bash', ['-c', `${seed!} && ${seed!}`], {
      cwd: root,
      env,
      encoding: 'utf8',
    });
    expect(seeded).toContain('seeded 1 companies, 2 users, 1 apps');

    const port = await freePort();
    server = await startServer(start!, port);
    const script = quickstart!.replace(/^export ITINERA=.*$/m, '');
    const output = execFileSync('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: root,
      env: { ...env, ITINERA: `http://127.0.0.1:${port}` },
      encoding: 'utf8',
    });
    const tripId = /created trip (\S+)/.exec(output)?.[1];
    expect(tripId).toMatch(/^[A-Za-z0-9_-]{10,}$/);
    expect(output).toContain('<TripName>Milan to Rome</TripName>');
    expect(output).toContain('<ItineraryInfoList');
    expect(output).toContain(`"TripId":"${tripId}"`);
    // The booking POST answers the trip it joined with the posted car booking as a <Booking>
    // directly under <Itinerary> (the booking docs' sample shape); the cancel answers the whole
    // trip, holding both bookings.
    const documents = output.split('<?xml');
    expect(
      documents.some(
        (d) =>
          d.includes(`<TripId>${tripId}</TripId>`) &&
          !d.includes('<Bookings>') &&
          d.includes('<RecordLocator>DEMOCAR1</RecordLocator>'),
      ),
    ).toBe(true);
    expect(
      documents.some(
        (d) =>
          d.includes('<TripStatus>2</TripStatus>') &&
          d.includes('<RecordLocator>DEMO42</RecordLocator>') &&
          d.includes('<RecordLocator>DEMOCAR1</RecordLocator>'),
      ),
    ).toBe(true);
    expect(output).toContain('<TripStatus>2</TripStatus>');

    await gettingATokenWorks(`http://127.0.0.1:${port}`);

    // The Itinerary v4 and Insights blocks, after the quick start's token paragraph.
    const tokenLines = script.split('\n\n').find((p) => p.includes('TOKEN=')) ?? '';
    const blockWith = (needle: string) => {
      const block = bashBlocks().find((b) => b.includes(needle));
      expect(block, needle).toBeDefined();
      return block ?? '';
    };
    const later = (block: string, extra: Record<string, string> = {}) =>
      execFileSync('bash', ['-euo', 'pipefail', '-c', `${tokenLines}\n${block}`], {
        cwd: root,
        env: { ...env, ITINERA: `http://127.0.0.1:${port}`, ...extra },
        encoding: 'utf8',
      });
    const v4 = later(blockWith('/travel/v4/trips/$TRIP_ID'), { TRIP_ID: tripId ?? '' });
    // The list (JSON with its items), then the trip itself.
    expect(v4).toContain(`{"data":[{"id":"${tripId}"`);
    expect(v4).toContain(`"id":"http://127.0.0.1:${port}/travel/v4/trips/${tripId}"`);
    const insights = later(blockWith('/insights/opportunities?tripId='));
    expect(insights).toContain('"Type":"Car"');
    expect(insights).toContain('{"Items":[');

    await stopServer(server);
    server = await startServer(start!, port);
    // The quick start's token paragraph, then a details GET of the trip it created.
    const tokenParagraph = script.split('\n\n').find((p) => p.includes('TOKEN=')) ?? '';
    const again = execFileSync(
      'bash',
      [
        '-euo',
        'pipefail',
        '-c',
        `${tokenParagraph}\ncurl -s "$ITINERA/api/travel/trip/v1.1/${tripId}" -H "Authorization: Bearer $TOKEN"`,
      ],
      { cwd: root, env: { ...env, ITINERA: `http://127.0.0.1:${port}` }, encoding: 'utf8' },
    );
    expect(again).toContain(`<TripId>${tripId}</TripId>`);
    expect(again).toContain('<TripStatus>2</TripStatus>');
    await stopServer(server);
  }, 120_000);
});
