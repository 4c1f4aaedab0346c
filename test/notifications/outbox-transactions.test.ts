/**
 * The outbox and its transaction: a refused or failed write leaves no notification, a write
 * beside it keeps its own, committed rows are signalled, and subscriptions decide who gets rows.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderNotification } from '../../src/modules/notifications/notification.presenter.js';
import { NotificationOutbox } from '../../src/modules/notifications/outbox/notification-outbox.js';
import {
  type AccessWorld,
  supplierTripXml,
  tmcTripXml,
  userToken,
} from '../helpers/access-world.js';
import { useTestContext } from '../helpers/app-fixture.js';
import {
  appsOf,
  rowsFor,
  rowsOfTrip,
  type SubscribedWorld,
  seedSubscribedWorld,
  setPostbackUrl,
} from '../helpers/notification-world.js';
import type { TestContext } from '../helpers/test-app.js';
import { cancelTrip, createTrip, expectError, postTrip } from '../helpers/trip-requests.js';

let context: TestContext;
let world: AccessWorld;
let ids: SubscribedWorld['ids'];
let traveller: string;
let expected: SubscribedWorld['expected'];

useTestContext((given) => {
  context = given;
});
beforeAll(async () => {
  ({ world, ids, traveller, expected } = await seedSubscribedWorld(context));
});

describe('failures and subscriptions', () => {
  it('a refused write leaves no row (400, 403)', async () => {
    const before = await context.database.db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expectError(await postTrip(context.app, traveller, '<Itinerary><Comments/></Itinerary>'), 400);
    const { tripId } = await createTrip(context.app, traveller, tmcTripXml(world, 'Locked'));
    const supplier = await userToken(context, world.apps.supplier, world.home.traveller);
    const rowsBefore = (await rowsOfTrip(context, tripId)).length;
    expectError(
      await postTrip(context.app, supplier, supplierTripXml(world, 'X'), { tripId }),
      403,
    );
    expectError(await cancelTrip(context.app, supplier, tripId), 403);
    expect(await rowsOfTrip(context, tripId)).toHaveLength(rowsBefore);
    const after = await context.database.db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n) + rowsBefore);
  });

  it('rows written in a transaction that then fails are rolled back with it', async () => {
    const outbox = new NotificationOutbox(context.database.db, {
      maxAgeSeconds: 60,
      render: renderNotification,
    });
    const user = await context.database.db
      .selectFrom('users')
      .selectAll()
      .where('login_id', '=', world.home.traveller.loginId)
      .executeTakeFirstOrThrow();
    const colleague = await context.database.db
      .selectFrom('users')
      .selectAll()
      .where('login_id', '=', world.home.colleague.loginId)
      .executeTakeFirstOrThrow();
    const work = context.database.write(`traveller:${user.id}`, async (trx) => {
      const notes = await outbox.open(trx, user.company_id, 'http://x');
      if (!notes) throw new Error('expected subscribers');
      await notes.record(trx, {
        eventType: 'CREATE',
        tripId: 'rolled-back-trip',
        agencyId: null,
        owner: user,
        after: { id: 'rolled-back-trip', status: 0, document: {}, bookings: [], owner: user },
        now: Date.now(),
      });
      // The rows are there inside the transaction …
      const inside = await trx
        .selectFrom('notifications')
        .select('id')
        .where('trip_id', '=', 'rolled-back-trip')
        .execute();
      expect(inside.length).toBeGreaterThan(0);
      throw new Error('the change fails after its notifications were written');
    });
    // A write running beside it (on SQLite: in the same group commit) keeps its rows.
    const beside = context.database.write(`traveller:${colleague.id}`, async (trx) => {
      const notes = await outbox.open(trx, colleague.company_id, 'http://x');
      await notes?.record(trx, {
        eventType: 'CREATE',
        tripId: 'kept-trip',
        agencyId: null,
        owner: colleague,
        after: { id: 'kept-trip', status: 0, document: {}, bookings: [], owner: colleague },
        now: Date.now(),
      });
    });
    await expect(work).rejects.toThrow(/fails after/);
    await beside;
    // … and gone with it, while the other write's rows stay.
    expect(await rowsOfTrip(context, 'rolled-back-trip')).toHaveLength(0);
    expect((await rowsOfTrip(context, 'kept-trip')).length).toBeGreaterThan(0);
  });

  it('tells the delivery side once rows were committed, and only then', async () => {
    let calls = 0;
    const outbox = new NotificationOutbox(context.database.db, {
      maxAgeSeconds: 60,
      render: renderNotification,
      onWritten: () => calls++,
    });
    const user = await context.database.db
      .selectFrom('users')
      .selectAll()
      .where('login_id', '=', world.home.traveller.loginId)
      .executeTakeFirstOrThrow();
    const record = (companyId: string) =>
      context.database.write(`traveller:${user.id}`, async (trx) => {
        const notes = await outbox.open(trx, companyId, 'http://x');
        await notes?.record(trx, {
          eventType: 'CREATE',
          tripId: 'signalled-trip',
          agencyId: null,
          owner: user,
          after: { id: 'signalled-trip', status: 0, document: {}, bookings: [], owner: user },
          now: Date.now(),
        });
      });
    await record('no-such-company');
    outbox.written();
    expect(calls).toBe(0);
    await record(user.company_id);
    outbox.written();
    outbox.written();
    expect(calls).toBe(1);
    expect((await rowsOfTrip(context, 'signalled-trip')).length).toBeGreaterThan(0);
  });

  it('unsubscribe stops new rows; rows already queued stay', async () => {
    const admin = await userToken(context, world.apps.partner, world.home.admin);
    const { tripId } = await createTrip(context.app, traveller, tmcTripXml(world, 'Before'));
    expect(appsOf(await rowsOfTrip(context, tripId))).toContain(ids.partner);
    const response = await context.app.inject({
      method: 'POST',
      url: '/api/company/v1.0/unsubscribe?type=itinerary',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(response.statusCode).toBe(200);
    const { tripId: later } = await createTrip(context.app, traveller, tmcTripXml(world, 'After'));
    expect(appsOf(await rowsOfTrip(context, later))).toEqual(expected('tmc'));
    const queued = await rowsFor(context, tripId, ids.partner);
    expect(queued.map((r) => r.status)).toEqual(['pending']);
  });

  it('an app without a postback URL any more gets no rows', async () => {
    await setPostbackUrl(context, world.apps.tmc.clientId, null);
    const { tripId } = await createTrip(context.app, traveller, tmcTripXml(world, 'No URL'));
    expect(await rowsOfTrip(context, tripId)).toHaveLength(0);
    await setPostbackUrl(context, world.apps.tmc.clientId, 'https://tmc.example/postback');
  });
});
