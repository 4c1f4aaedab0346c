/**
 * CPU cost of one trip POST, in-process and sequential: repeatable on a shared machine where a
 * load test (`npm run bench`) is not. Builds the app on a temporary SQLite file, seeds one
 * tenant, then runs rounds of `app.inject` POSTs of the TMC-guide sample (each with its own
 * booking, as the benchmark posts them) and prints µs per POST (wall and CPU time, median and
 * best round) next to the CPU µs of parsing the body alone.
 *
 *   npx tsx scripts/profile-post.ts
 *
 * Environment: PROFILE_POSTS (per round, default 500), PROFILE_ROUNDS (default 7),
 * PROFILE_WARMUP (POSTs before the first round, default 500), and one of:
 * - PROFILE_CPU=FILE: write a V8 CPU profile of the rounds only (no start-up, no warm-up) and
 *   print its top self-time functions.
 * - PROFILE_CALLGRIND=1: under valgrind, count the instructions of one round only; other
 *   programs sharing the cores do not change the count. V8 keeps compiling late-hot functions
 *   for thousands of requests, so warm up long and read compiler frames apart:
 *     PROFILE_CALLGRIND=1 PROFILE_WARMUP=3000 PROFILE_POSTS=300 valgrind --tool=callgrind \
 *       --instr-atstart=no --smc-check=all-non-file --callgrind-out-file=/tmp/cg.%p \
 *       node --expose-gc --single-threaded --import tsx scripts/profile-post.ts
 *   then Collected / PROFILE_POSTS, or `callgrind_annotate /tmp/cg.<pid>`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import inspector from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { connectDatabase } from '../src/db/connect.js';
import { seedDatabase, validateSeedFile } from '../src/modules/accounts/seed/seed.service.js';
import { parseXmlDocument } from '../src/xml/xml-reader.js';
import { topSelfTime } from './bench/profile-summary.js';
import { loadTripBodies } from './bench/trip-bodies.js';

const TRIP_PATH = '/api/travel/trip/v1.1';
const DAY_MS = 86_400_000;
const TENANT = {
  company: 'Profile Company',
  loginId: 'profile-traveller@example.com',
  password: 'profile-password-0123',
  clientId: 'profile-tmc',
  clientSecret: 'profile-secret-0123456789',
};

function positiveEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const posts = positiveEnv('PROFILE_POSTS', 500);
const rounds = positiveEnv('PROFILE_ROUNDS', 7);
const warmup = positiveEnv('PROFILE_WARMUP', 500);
const callgrind = process.env.PROFILE_CALLGRIND === '1';
const cpuProfile = process.env.PROFILE_CPU || undefined;

/** Under callgrind: instructions are counted for one round of POSTs only. */
async function countInstructions(post: () => Promise<void>): Promise<void> {
  // Start from a collected heap (node --expose-gc), so that rounds see the same collections.
  (globalThis as { gc?: () => void }).gc?.();
  execFileSync('callgrind_control', ['--instr=on', String(process.pid)], { stdio: 'ignore' });
  for (let i = 0; i < posts; i++) await post();
  execFileSync('callgrind_control', ['--instr=off', String(process.pid)], { stdio: 'ignore' });
  console.log(`callgrind: ${posts} POSTs measured; instructions per POST = Collected / ${posts}`);
}

/** A V8 CPU profile of the POST rounds alone (start-up and warm-up left out), for DevTools. */
async function profileRounds(post: () => Promise<void>, file: string): Promise<void> {
  const session = new inspector.Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  for (let i = 0; i < rounds * posts; i++) await post();
  const { profile } = await session.post('Profiler.stop');
  fs.writeFileSync(file, JSON.stringify(profile));
  session.disconnect();
  console.log(`CPU profile of ${rounds * posts} POSTs: ${file}`);
  for (const row of topSelfTime(file, 25)) {
    console.log(`${row.percent.toFixed(1).padStart(5)}%  ${row.name}`);
  }
}

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

function show(label: string, values: readonly number[]): void {
  const rounded = values.map((v) => v.toFixed(0)).join(' ');
  console.log(
    `${label} median ${median(values).toFixed(0)}  min ${Math.min(...values).toFixed(0)}  (rounds: ${rounded})`,
  );
}

/**
 * Rounds of POSTs, each followed by parsing as many bodies alone. Wall time suffers when other
 * processes take the cores; CPU time (this process, its checkpoint thread included) less so.
 */
async function timeRounds(post: () => Promise<void>, bodies: readonly Buffer[]): Promise<void> {
  const postWall: number[] = [];
  const postCpu: number[] = [];
  const parseCpu: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = process.hrtime.bigint();
    let cpu = cpuMicros();
    for (let i = 0; i < posts; i++) await post();
    postWall.push(Number(process.hrtime.bigint() - started) / 1000 / posts);
    postCpu.push((cpuMicros() - cpu) / posts);
    cpu = cpuMicros();
    for (let i = 0; i < posts; i++) parseXmlDocument(bodies[i] as Buffer, 'Itinerary');
    parseCpu.push((cpuMicros() - cpu) / posts);
  }
  show('POST  wall µs/request:', postWall);
  show('POST  CPU  µs/request:', postCpu);
  show('parse CPU  µs/body:   ', parseCpu);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-profile-'));
const database = connectDatabase({ dialect: 'sqlite', filename: path.join(dir, 'profile.db') });
const app = await buildApp(
  Object.freeze(loadConfig({ LOG_LEVEL: 'silent', NOTIFICATION_DELIVERY: 'false' })),
  { database },
);
try {
  await seedDatabase(
    database.db,
    validateSeedFile({
      companies: [{ name: TENANT.company, region: 'us' }],
      users: [
        {
          loginId: TENANT.loginId,
          password: TENANT.password,
          company: TENANT.company,
          firstName: 'Chris',
          lastName: 'Miller',
        },
      ],
      apps: [
        {
          clientId: TENANT.clientId,
          clientSecret: TENANT.clientSecret,
          name: 'Profile TMC',
          kind: 'tmc',
          scopes: ['openid', 'ITINER'],
          companies: [TENANT.company],
          bookingSource: 'PROFILETMC',
          travelTypes: ['Air', 'Car', 'Hotel', 'Rail'],
        },
      ],
    }),
  );
  const grant = await app.inject({
    method: 'POST',
    url: '/oauth2/v0/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'password',
      client_id: TENANT.clientId,
      client_secret: TENANT.clientSecret,
      username: TENANT.loginId,
      password: TENANT.password,
    }).toString(),
  });
  if (grant.statusCode !== 200) throw new Error(`token: ${grant.statusCode} ${grant.body}`);
  const token = (grant.json() as { access_token: string }).access_token;

  // Bodies are made up front so that only the POSTs are timed.
  const trips = loadTripBodies();
  const total = warmup + rounds * posts;
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const bodies = Array.from({ length: total }, (_, i) =>
    Buffer.from(trips.bodyFor(i, today + (i % 365) * DAY_MS)),
  );
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/xml' };
  let next = 0;
  const post = async () => {
    const response = await app.inject({
      method: 'POST',
      url: TRIP_PATH,
      headers,
      payload: bodies[next++],
    });
    if (response.statusCode !== 200)
      throw new Error(`POST: ${response.statusCode} ${response.body}`);
  };

  for (let i = 0; i < warmup; i++) await post();
  if (callgrind) await countInstructions(post);
  else if (cpuProfile) await profileRounds(post, cpuProfile);
  else await timeRounds(post, bodies);
} finally {
  await app.close();
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
