/**
 * The bounded subset of `npm run fuzz` (docs/RELIABILITY.md): a fixed seed, a few hundred
 * hostile and mutated requests to every write endpoint, the calendar and the web app, on this
 * run's dialect. Each must be answered below 500, within the time bound (2 s, plus the measured
 * scrypt work of a password endpoint), without internals, and a refused one must leave the
 * database as it was. Every target's valid request is accepted first, so the cases reach the
 * endpoints.
 */
import { describe, expect, it } from 'vitest';
import { allowedMs, leaksOf, snapshot } from '../fuzz/fuzz-oracle.js';
import { type FuzzReport, runFuzz } from '../fuzz/fuzz-run.js';
import { seedFuzzWorld, TARGETS } from '../fuzz/fuzz-targets.js';
import { useTestContext } from '../helpers/app-fixture.js';
import type { TestContext } from '../helpers/test-app.js';

const SEED = 20_261_204;
const COUNT = 150;

let report: FuzzReport;
let context: TestContext;
useTestContext(async (given) => {
  context = given;
});

describe('fuzz oracle', () => {
  it('sees internals an answer shows and its request did not carry', () => {
    const stack = 'Error: x\n    at TripService.create (/work/src/trip.service.ts:10:5)';
    expect(leaksOf(stack, '')).not.toEqual([]);
    expect(leaksOf('SqliteError: UNIQUE constraint failed: trips.id', '')).not.toEqual([]);
    // The web app's own links are URLs; a path under /app elsewhere is a file (a container's).
    expect(leaksOf('<link rel="stylesheet" href="/app/app.css">', '')).toEqual([]);
    expect(leaksOf('value="http://localhost:80/app/callback"', '')).toEqual([]);
    // Password endpoints get their scrypt work on top of the limit; the others the limit alone.
    expect(allowedMs(2000, 0, 900)).toBe(2000);
    expect(allowedMs(2000, 2, 300)).toBe(3200);
    expect(leaksOf('<p>failed to open /app/dist/server.js</p>', '')).not.toEqual([]);
    expect(
      leaksOf(
        "<Message>The trip 'select 1 from users' was not found</Message>",
        'select 1 from users',
      ),
    ).toEqual([]);
  });
});

describe('fuzz subset', () => {
  it(`seed ${SEED}: ${COUNT} hostile requests, no 5xx, no slow answer, no leak, no partial write`, {
    timeout: 180_000,
  }, async () => {
    report = await runFuzz(context.app, context.database, await seedFuzzWorld(context), {
      seed: SEED,
      count: COUNT,
    });
    expect(report.baseline.filter((b) => b.status >= 400)).toEqual([]);
    expect(report.baseline.map((b) => b.target)).toEqual(TARGETS.map((t) => t.name));
    expect(report.failures).toEqual([]);
    // The cases reached the endpoints: some writes were accepted, many refused and checked.
    const statuses = Object.keys(report.byStatus).map(Number);
    expect(statuses.some((s) => s < 300)).toBe(true);
    expect(report.refusedChecked).toBeGreaterThan(COUNT / 3);
    // The digest sees a write (so "unchanged" above is a real comparison).
    const before = await snapshot(context.database);
    await context.database.db.updateTable('trips').set({ name: 'changed' }).execute();
    expect(await snapshot(context.database)).not.toBe(before);
  });
});

describe('found by the fuzzer', () => {
  it('a client_id holding NUL is an unknown client, not a server error (PostgreSQL)', async () => {
    const response = await context.app.inject({
      method: 'POST',
      url: '/oauth2/v0/token',
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'tmc\u0000x',
        client_secret: 'whatever-secret',
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
  });
});
