/**
 * The feed's promise under load: several app instances (each its own connection pool, as
 * separate Itinera processes have) write trips in parallel while a reader follows `next` in a
 * loop; the reader ends up with exactly the committed changes, none skipped, none twice, each
 * trip's in order. On PostgreSQL this is what numbering committed rows on read is for: numbers
 * handed out before the commit (a sequence) let a reader pass a change that commits later.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import type { DatabaseHandle } from '../../../src/db/connect.js';
import { companyToken } from '../../helpers/access-world.js';
import { useTestTenant } from '../../helpers/app-fixture.js';
import { type Tenant, type TestContext, tokenFor } from '../../helpers/test-app.js';
import { createTrip, postTrip, simpleTrip } from '../../helpers/trip-requests.js';
import { type FeedChange, feedPage } from './feed-client.js';

const INSTANCES = 3;
const TRIPS_PER_WRITER = 6;

let context: TestContext;
let tenant: Tenant;
const apps: FastifyInstance[] = [];
const databases: DatabaseHandle[] = [];

// No request limits: the reader polls as fast as it can.
useTestTenant({ config: { rateLimitPerMinute: 0, rateLimitPerHour: 0 } }, (given) => {
  ({ context, tenant } = given);
});
beforeAll(async () => {
  apps.push(context.app);
  for (let i = 1; i < INSTANCES; i += 1) {
    const database = context.connectAgain();
    databases.push(database);
    apps.push(await buildApp(context.config, { database }));
  }
});
afterAll(async () => {
  for (const app of apps.slice(1)) await app.close();
  for (const database of databases) await database.close();
});

it('gives a reader following next every committed change once, while instances write', async () => {
  const users = [tenant.traveller, tenant.otherTraveller, tenant.admin];
  const tokens = await Promise.all(users.map((user) => tokenFor(context, tenant, user)));
  const feedToken = await companyToken(context, tenant.app);
  const start = (await feedPage(context.app, feedToken)).next;

  // Every instance writes for every user at once: a create then an update per trip.
  let writing = true;
  const writers = apps.flatMap((app, instance) =>
    tokens.map(async (token, user) => {
      const trips: string[] = [];
      for (let i = 0; i < TRIPS_PER_WRITER; i += 1) {
        const name = `I${instance} U${user} T${i}`;
        const { tripId } = await createTrip(app, token, simpleTrip(name, 5 + i, 6 + i));
        const updated = await postTrip(app, token, simpleTrip(`${name}'`, 5 + i, 7 + i), {
          tripId,
        });
        expect(updated.statusCode, updated.body).toBe(200);
        trips.push(tripId);
      }
      return trips;
    }),
  );
  const done = Promise.all(writers).finally(() => {
    writing = false;
  });

  // The reader: small pages, as fast as it can, from each instance in turn, until the writers
  // are done and a page comes back empty.
  const seen: FeedChange[] = [];
  let after = start;
  let reads = 0;
  for (;;) {
    const wasWriting = writing;
    const page = await feedPage(apps[reads % apps.length] as FastifyInstance, feedToken, {
      after,
      limit: '7',
    });
    reads += 1;
    seen.push(...page.changes);
    // Leave the writers some of the two cores.
    if (page.changes.length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    after = page.next;
    if (!wasWriting && page.changes.length === 0) break;
  }
  const written = (await done).flat();

  const expected = written.flatMap((tripId) => [`${tripId} created`, `${tripId} updated`]);
  const got = seen.map((c) => `${c.tripId} ${c.type}`);
  // None twice, none missing, nothing else.
  expect(new Set(got).size).toBe(got.length);
  expect([...got].sort()).toEqual([...expected].sort());
  // Each trip's changes in the order they were made.
  for (const tripId of written) {
    expect(got.indexOf(`${tripId} created`)).toBeLessThan(got.indexOf(`${tripId} updated`));
  }
  expect(reads).toBeGreaterThan(2);
});
