/**
 * The sign-in throttle against the database: the policy as attempts see it, counts shared by
 * connections (as processes share them), atomic increments, the purge, and what is stored.
 */
import { createHmac } from 'node:crypto';
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connect.js';
import {
  SignInThrottle,
  type SignInThrottleOptions,
} from '../../src/modules/oauth/sign-in/sign-in-throttle.js';
import { useTestContext } from '../helpers/app-fixture.js';
import type { TestContext } from '../helpers/test-app.js';

let context: TestContext;
let other: DatabaseHandle;
useTestContext(async (given) => {
  context = given;
  other = context.connectAgain();
});
afterAll(async () => {
  await other?.close();
});

let clock = 1_000_000;
const options: SignInThrottleOptions = {
  policies: { user: { freeFailures: 3, basePauseMs: 1000, windowMs: 10_000 } },
  now: () => clock,
};

beforeEach(async () => {
  clock = 1_000_000;
  await context.database.db.deleteFrom('sign_in_failures').execute();
});

async function fail(throttle: SignInThrottle, user: string): Promise<number> {
  const attempt = await throttle.check({ user });
  if (attempt.retryAfterMs === 0) await attempt.failed();
  return attempt.retryAfterMs;
}

describe('SignInThrottle', () => {
  it('lets the first failures through, then pauses for a doubling time', async () => {
    const throttle = new SignInThrottle(context.database.db, options);
    for (let i = 0; i < 3; i++) expect(await fail(throttle, 'u')).toBe(0);
    expect((await throttle.check({ user: 'u' })).retryAfterMs).toBe(1000);
    clock += 1000;
    expect(await fail(throttle, 'u')).toBe(0);
    expect((await throttle.check({ user: 'u' })).retryAfterMs).toBe(2000);
    expect((await throttle.check({ user: 'other' })).retryAfterMs).toBe(0);
    // The client scope has its own policy (the default: 5 free failures) and its own rows.
    expect((await throttle.check({ user: 'other', client: 'u' })).retryAfterMs).toBe(0);
  });

  it("forgets a user's failures after a success or after the window, not a client's", async () => {
    const throttle = new SignInThrottle(context.database.db, {
      ...options,
      policies: { user: { freeFailures: 1, windowMs: 10_000 }, client: { freeFailures: 1 } },
    });
    await (await throttle.check({ user: 'a', client: 'c' })).failed();
    await (await throttle.check({ user: 'b' })).failed();
    const blocked = await throttle.check({ user: 'a', client: 'c' });
    expect(blocked.retryAfterMs).toBeGreaterThan(0);
    await blocked.succeeded('user');
    expect((await throttle.check({ user: 'a' })).retryAfterMs).toBe(0);
    expect((await throttle.check({ client: 'c' })).retryAfterMs).toBeGreaterThan(0);
    clock += 10_001;
    expect((await throttle.check({ user: 'b' })).retryAfterMs).toBe(0);
    // A failure after the window counts from 1 again.
    await (await throttle.check({ user: 'b' })).failed();
    const rows = await context.database.db.selectFrom('sign_in_failures').selectAll().execute();
    expect(rows.map((row) => Number(row.failures)).sort()).toEqual([1, 1]);
  });

  it('shares the counts between connections, as between processes', async () => {
    const here = new SignInThrottle(context.database.db, options);
    const there = new SignInThrottle(other.db, options);
    expect(await fail(here, 'shared')).toBe(0);
    expect(await fail(there, 'shared')).toBe(0);
    expect(await fail(here, 'shared')).toBe(0);
    expect((await there.check({ user: 'shared' })).retryAfterMs).toBe(1000);
  });

  it('counts every one of many concurrent failures', async () => {
    const throttles = [context.database.db, other.db].map(
      (db) => new SignInThrottle(db, { ...options, policies: { user: { freeFailures: 1000 } } }),
    );
    const attempts = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        throttles[i % 2]?.check({ user: 'busy', client: 'tmc' }),
      ),
    );
    await Promise.all(attempts.map((attempt) => attempt?.failed()));
    const rows = await context.database.db.selectFrom('sign_in_failures').selectAll().execute();
    expect(rows.map((row) => Number(row.failures))).toEqual([40, 40]);
  });

  it('stores keyed hashes, never the login id or client id', async () => {
    const throttle = new SignInThrottle(context.database.db, options);
    await (await throttle.check({ user: 'alice@acme.example', client: 'tmc-client-1' })).failed();
    const rows = await context.database.db.selectFrom('sign_in_failures').selectAll().execute();
    expect(rows).toHaveLength(2);
    const stored = JSON.stringify(rows);
    expect(stored).not.toMatch(/alice|acme|tmc-client/);
    for (const row of rows) expect(row.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('keys the rows with the HMAC secret it is given', async () => {
    const secret = Buffer.alloc(32, 7);
    const throttle = new SignInThrottle(context.database.db, {
      ...options,
      hmacSecret: async () => secret.toString('base64url'),
    });
    await (await throttle.check({ user: 'alice@acme.example' })).failed();
    const rows = await context.database.db.selectFrom('sign_in_failures').select('key').execute();
    const expected = createHmac('sha256', secret)
      .update('user\u0000alice@acme.example')
      .digest('base64url');
    expect(rows).toEqual([{ key: expected }]);
  });

  it('reads once and writes nothing for a success without recorded failures', async () => {
    const kinds: string[] = [];
    const spy: KyselyPlugin = {
      transformQuery: (args) => {
        kinds.push(args.node.kind);
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const throttle = new SignInThrottle(context.database.db.withPlugin(spy), options);
    await throttle.check({ user: 'warm-up' }); // reads the server secret once per process
    kinds.length = 0;
    const attempt = await throttle.check({ user: 'clean', client: 'tmc' });
    await attempt.succeeded('user');
    expect(kinds).toEqual(['SelectQueryNode']);
  });

  it('counts a failure against a count-only key without reading it', async () => {
    const throttle = new SignInThrottle(context.database.db, {
      ...options,
      policies: { client: { freeFailures: 1 } },
    });
    await (await throttle.check({ client: 'tmc' })).failed();
    expect((await throttle.check({ client: 'tmc' })).retryAfterMs).toBeGreaterThan(0);
    // The client was checked just before (authenticateClient): only the user decides here.
    const attempt = await throttle.check({ user: 'u' }, { client: 'tmc' });
    expect(attempt.retryAfterMs).toBe(0);
    await attempt.failed();
    const rows = await context.database.db.selectFrom('sign_in_failures').selectAll().execute();
    expect(rows.map((row) => Number(row.failures)).sort()).toEqual([1, 2]);
  });

  it('deletes expired rows when a later failure is recorded', async () => {
    const throttle = new SignInThrottle(context.database.db, options);
    await (await throttle.check({ user: 'old' })).failed();
    clock += 10_000 + 60_000;
    await (await throttle.check({ user: 'new' })).failed();
    const rows = await context.database.db.selectFrom('sign_in_failures').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(Number(rows[0]?.last_failure_at)).toBe(clock);
  });
});
