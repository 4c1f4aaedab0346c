/**
 * What the change feed costs the writers: trip POSTs per second on PostgreSQL, in-process
 * (`app.inject`, so the figure is the server's and the database's, not the network's), with
 * CONCURRENCY requests in flight for TRAVELLERS travellers (distinct travellers: their writes
 * do not queue on one traveller's lock, so the feed's counter is the only lock they share).
 *
 * Run it against this tree and against a tree without the feed to compare:
 *   npx tsx scripts/bench/feed-cost.ts                  (this tree)
 *   ITINERA_ROOT=/path/to/other/tree npx tsx scripts/bench/feed-cost.ts
 * Environment: TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; a schema is
 * created and dropped), BENCH_DURATION (s, default 10), BENCH_WARMUP (s, default 2),
 * BENCH_CONCURRENCY (default 32), BENCH_TRAVELLERS (default 32).
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { loadTripBodies } from './trip-bodies.js';

const root = path.resolve(process.env.ITINERA_ROOT ?? path.join(import.meta.dirname, '../..'));
const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const duration = Number(process.env.BENCH_DURATION ?? 10) * 1000;
const warmup = Number(process.env.BENCH_WARMUP ?? 2) * 1000;
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const travellers = Number(process.env.BENCH_TRAVELLERS ?? 32);

const { buildApp } = (await import(
  path.join(root, 'src/app.ts')
)) as typeof import('../../src/app.js');
const { loadConfig } = (await import(
  path.join(root, 'src/config.ts')
)) as typeof import('../../src/config.js');
const { connectDatabase } = (await import(
  path.join(root, 'src/db/connect.ts')
)) as typeof import('../../src/db/connect.js');
const seed = (await import(
  path.join(root, 'src/modules/accounts/seed/seed.service.ts')
)) as typeof import('../../src/modules/accounts/seed/seed.service.js');

const schema = `bench_${randomUUID().replaceAll('-', '')}`;
const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query(`create schema ${schema}`);
const database = connectDatabase({ dialect: 'postgres', connectionString: url, schema });
let app: FastifyInstance | undefined;
try {
  app = await buildApp(
    Object.freeze({
      ...loadConfig({ LOG_LEVEL: 'silent' }),
      notificationDelivery: false,
      rateLimitPerMinute: 0,
      rateLimitPerHour: 0,
    }),
    { database },
  );
  const users = Array.from({ length: travellers }, (_, i) => ({
    loginId: `bench-${i}@example.com`,
    password: `bench-password-${i}`,
    company: 'Bench',
  }));
  await seed.seedDatabase(
    database.db,
    seed.validateSeedFile({
      companies: [{ name: 'Bench', region: 'us' }],
      users,
      apps: [
        {
          clientId: 'bench-tmc',
          clientSecret: 'bench-secret-0123456789',
          name: 'Bench TMC',
          kind: 'tmc',
          scopes: ['ITINER'],
          companies: ['Bench'],
          bookingSource: 'BenchTMC',
          travelTypes: ['Air', 'Car', 'Hotel', 'Rail'],
        },
      ],
    }),
  );
  const server = app;
  const tokens: string[] = [];
  for (const user of users) {
    const response = await server.inject({
      method: 'POST',
      url: '/oauth2/v0/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'password',
        client_id: 'bench-tmc',
        client_secret: 'bench-secret-0123456789',
        username: user.loginId,
        password: user.password,
      }).toString(),
    });
    tokens.push((response.json() as { access_token: string }).access_token);
  }
  const bodies = loadTripBodies();
  let next = 0;
  let counted = 0;
  let failed = 0;
  let counting = false;
  const stopAt = Date.now() + warmup + duration;
  setTimeout(() => {
    counting = true;
  }, warmup);
  const worker = async (lane: number) => {
    while (Date.now() < stopAt) {
      const index = next++;
      const response = await server.inject({
        method: 'POST',
        url: '/api/travel/trip/v1.1',
        headers: {
          authorization: `Bearer ${tokens[(lane + index) % tokens.length]}`,
          'content-type': 'application/xml',
        },
        payload: bodies.bodyFor(index, Date.UTC(2030, 0, 1) + (index % 700) * 86_400_000),
      });
      if (response.statusCode !== 200) failed += 1;
      else if (counting) counted += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, lane) => worker(lane)));
  const feedRows = await database.db
    .selectFrom('trips')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  console.log(
    JSON.stringify({
      root,
      tripPostsPerSecond: Math.round(counted / (duration / 1000)),
      failed,
      trips: Number(feedRows.n),
      concurrency,
      travellers,
    }),
  );
} finally {
  await app?.close();
  await database.close();
  await admin.query(`drop schema if exists ${schema} cascade`);
  await admin.end();
}
