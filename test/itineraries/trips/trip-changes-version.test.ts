/**
 * `tripChangesVersion` (feed/trip-feed.repository.ts), on which the list keeps its totals
 * (store/trip-count-cache.ts): it must change with every kind of trip write, or a kept
 * `TotalItems` would go stale. On SQLite it must also stay put through writes that touch no trip
 * (the rate limiter's counters are written every quarter second), or nothing would be kept.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { tripChangesVersion } from '../../../src/modules/itineraries/feed/trip-feed.repository.js';
import { userToken } from '../../helpers/access-world.js';
import { useTestContext } from '../../helpers/app-fixture.js';
import { bookingXml, cancelBooking, placeBooking } from '../../helpers/booking-requests.js';
import { type SubscribedWorld, seedSubscribedWorld } from '../../helpers/notification-world.js';
import { type TestContext, testDialect } from '../../helpers/test-app.js';
import { cancelTrip, createTrip, postTrip, simpleTrip } from '../../helpers/trip-requests.js';
import { deleteTripV4 } from '../erase/erase-requests.js';

let context: TestContext;
let world: SubscribedWorld;
let admin: string;

useTestContext((given) => {
  context = given;
});
beforeAll(async () => {
  world = await seedSubscribedWorld(context);
  admin = await userToken(context, world.world.apps.tmc, world.world.home.admin);
});

const version = () => tripChangesVersion(context.database.db, context.database.dialect);

/** Runs `write` and expects the version to have changed by its end. */
async function changes(write: () => Promise<unknown>): Promise<void> {
  const before = await version();
  expect(before).toBeDefined();
  await write();
  expect(await version()).not.toBe(before);
}

describe('the trips version', () => {
  it('stays the same while nothing is written', async () => {
    expect(await version()).toBe(await version());
  });

  it('changes with trip create, update, cancel and delete', async () => {
    const { traveller } = world;
    let tripId = '';
    await changes(async () => {
      tripId = (await createTrip(context.app, traveller, simpleTrip('Version', 3, 4))).tripId;
    });
    await changes(async () => {
      const response = await postTrip(context.app, traveller, simpleTrip('Version 2', 3, 5), {
        tripId,
      });
      expect(response.statusCode, response.body).toBe(200);
    });
    await changes(async () => {
      expect((await cancelTrip(context.app, traveller, tripId)).statusCode).toBe(200);
    });
    await changes(async () => {
      expect((await deleteTripV4(context.app, admin, tripId)).statusCode).toBe(204);
    });
  });

  it('changes with booking posts, merges and cancels', async () => {
    const { traveller } = world;
    await changes(() =>
      placeBooking(context.app, traveller, bookingXml({ locator: 'VER-1', from: 40, to: 41 })),
    );
    await changes(() =>
      placeBooking(context.app, traveller, bookingXml({ locator: 'VER-2', from: 41, to: 42 })),
    );
    await changes(async () => {
      const response = await cancelBooking(context.app, traveller, {
        bookingSource: 'Alamo',
        confirmationNumber: 'VER-1',
      });
      expect(response.statusCode, response.body).toBe(200);
    });
  });

  it.runIf(testDialect() === 'sqlite')(
    'stays the same through writes to other tables',
    async () => {
      const before = await version();
      await context.database.write('other', (trx) =>
        trx
          .insertInto('companies')
          .values({ id: 'version-other', name: 'version-other', region: 'us', created_at: 1 })
          .execute(),
      );
      expect(await version()).toBe(before);
    },
  );
});
