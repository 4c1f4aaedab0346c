/**
 * What the feed keeps: nothing of a write that rolled back (even beside one that commits in the
 * same SQLite group commit), and changes for FEED_RETENTION_DAYS, after which a cursor from
 * before them gets 410 Gone while later cursors go on.
 */
import { expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { findUserByLoginId } from '../../../src/modules/accounts/index.js';
import { recordTripChange } from '../../../src/modules/itineraries/feed/trip-feed.repository.js';
import { FEED_RETENTION_DAYS } from '../../../src/modules/itineraries/feed/trip-feed.service.js';
import { TravellerWrites } from '../../../src/modules/itineraries/traveller-writes.js';
import { companyToken } from '../../helpers/access-world.js';
import { useTestTenant } from '../../helpers/app-fixture.js';
import { type Tenant, type TestContext, tokenFor } from '../../helpers/test-app.js';
import { createTrip, simpleTrip } from '../../helpers/trip-requests.js';
import { brief, feedPage, followFeed, getFeed } from './feed-client.js';

let context: TestContext;
let tenant: Tenant;

useTestTenant((given) => {
  ({ context, tenant } = given);
});

it('keeps nothing of a write that rolled back', async () => {
  const feed = await companyToken(context, tenant.app);
  const start = (await followFeed(context.app, feed)).next;
  const { db } = context.database;
  const traveller = await findUserByLoginId(db, tenant.traveller.loginId);
  const other = await findUserByLoginId(db, tenant.otherTraveller.loginId);
  if (!traveller || !other) throw new Error('the tenant has no travellers');
  const writes = new TravellerWrites(context.database);
  const change = (tripId: string) => ({
    tripId,
    companyId: traveller.company_id,
    agencyId: null,
    type: 'created' as const,
    at: Date.now(),
  });
  // Started together: on SQLite they share one transaction, each in its own savepoint.
  const [failed, committed] = await Promise.allSettled([
    writes.run(traveller, '', async (trx) => {
      await recordTripChange(trx, change('rolled-back'));
      throw new Error('the write fails after recording its change');
    }),
    writes.run(other, '', async (trx) => {
      await recordTripChange(trx, change('committed'));
    }),
  ]);
  expect(failed.status).toBe('rejected');
  expect(committed.status).toBe('fulfilled');
  expect(brief((await followFeed(context.app, feed, start)).changes)).toEqual([
    'committed created',
  ]);
});

it(`forgets changes after ${FEED_RETENTION_DAYS} days and answers 410 to a cursor from before`, async () => {
  const feed = await companyToken(context, tenant.app);
  const token = await tokenFor(context, tenant, tenant.traveller);
  const start = (await followFeed(context.app, feed)).next;
  const old = await createTrip(context.app, token, simpleTrip('Old', 3, 4));
  const afterOld = (await feedPage(context.app, feed, { after: start, limit: '1' })).next;
  const recent = await createTrip(context.app, token, simpleTrip('Recent', 5, 6));
  // Everything written so far but the recent trip is older than the retention.
  const longAgo = Date.now() - (FEED_RETENTION_DAYS + 1) * 24 * 60 * 60 * 1000;
  await context.database.db
    .updateTable('trip_changes')
    .set({ at: longAgo })
    .where('trip_id', '!=', recent.tripId)
    .execute();

  // Another instance (its purge not run yet) purges on its first read.
  const second = await buildApp(context.config, { database: context.database });
  try {
    const gone = await getFeed(second, feed, { after: start });
    expect(gone.statusCode, gone.body).toBe(410);
    expect(gone.json()).toMatchObject({ error: 'gone' });
    expect(gone.json().message).toMatch(/resync/);
    // A cursor past what was purged goes on; no cursor starts at the oldest change kept.
    const rest = await followFeed(second, feed, afterOld);
    expect(brief(rest.changes)).toEqual([`${recent.tripId} created`]);
    expect(brief((await followFeed(context.app, feed)).changes)).toEqual([
      `${recent.tripId} created`,
    ]);
    const rows = await context.database.db
      .selectFrom('trip_changes')
      .select('trip_id')
      .where('trip_id', '=', old.tripId)
      .execute();
    expect(rows).toEqual([]);
  } finally {
    await second.close();
  }
});
