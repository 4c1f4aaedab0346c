/**
 * GET /travel/v4/trip-changes (docs/CHANGE-FEED.md): every kind of change in commit order,
 * paging by `next`, the list's visibility rules for company tokens, bad cursors and limits.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AccessWorld,
  companyToken,
  seedAccessWorld,
  userToken,
} from '../../helpers/access-world.js';
import { useTestContext } from '../../helpers/app-fixture.js';
import { bookingXml, cancelBooking, placeBooking } from '../../helpers/booking-requests.js';
import type { TestContext } from '../../helpers/test-app.js';
import {
  cancelTrip,
  createTrip,
  postTrip,
  simpleTrip,
  tripXml,
} from '../../helpers/trip-requests.js';
import { brief, feedPage, followFeed, getFeed } from './feed-client.js';

let context: TestContext;
let world: AccessWorld;
/** The home traveller through the TMC app of agency A (trips recorded under agency A). */
let traveller: string;
/** The home colleague through the supplier app (trips of no agency). */
let colleague: string;
/** The home colleague through the TMC app of agency B. */
let colleagueB: string;
let foreignTraveller: string;
const feeds: Record<'tmc' | 'otherAgencyTmc' | 'supplier' | 'partner' | 'foreignTmc', string> = {
  tmc: '',
  otherAgencyTmc: '',
  supplier: '',
  partner: '',
  foreignTmc: '',
};

useTestContext(async (given) => {
  context = given;
  world = await seedAccessWorld(context);
});
beforeAll(async () => {
  traveller = await userToken(context, world.apps.tmc, world.home.traveller);
  colleague = await userToken(context, world.apps.supplier, world.home.colleague);
  colleagueB = await userToken(context, world.apps.otherAgencyTmc, world.home.colleague);
  foreignTraveller = await userToken(context, world.apps.foreignTmc, world.foreign.traveller);
  for (const name of Object.keys(feeds) as (keyof typeof feeds)[]) {
    feeds[name] = await companyToken(context, world.apps[name]);
  }
});

/** The feed's position now, for tests that look only at what they wrote. */
async function now(token = feeds.tmc): Promise<string> {
  return (await followFeed(context.app, token)).next;
}

describe('the trip change feed', () => {
  it('reports trip create, update and cancel, booking merges and cancels, in commit order', async () => {
    const started = Date.now();
    const start = await now();
    const trip = await createTrip(context.app, traveller, simpleTrip('Feed trip', 3, 4));
    const updated = await postTrip(context.app, traveller, simpleTrip('Feed trip 2', 3, 5), {
      tripId: trip.tripId,
    });
    expect(updated.statusCode, updated.body).toBe(200);
    expect((await cancelTrip(context.app, traveller, trip.tripId)).statusCode).toBe(200);
    // Writing to a cancelled trip again is an update, not a second cancel.
    expect((await cancelTrip(context.app, traveller, trip.tripId)).statusCode).toBe(200);

    // Two booking-made trips, then a booking bridging them: the right one is removed (a
    // tombstone) and the left one holds all three bookings.
    const left = await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'FD-1', from: 80, to: 82 }),
    );
    const right = await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'FD-2', from: 85, to: 87 }),
    );
    const bridge = await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'FD-3', from: 82, to: 85 }),
    );
    expect(bridge.tripId).toBe(left.tripId);
    // Cancelling one of its bookings updates the trip; a lone booking's cancel cancels its trip.
    const cancelOne = await cancelBooking(context.app, traveller, {
      bookingSource: 'Alamo',
      confirmationNumber: 'FD-3',
    });
    expect(cancelOne.statusCode, cancelOne.body).toBe(200);
    const lone = await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'FD-4', from: 120, to: 121 }),
    );
    const cancelLone = await cancelBooking(context.app, traveller, {
      bookingSource: 'Alamo',
      confirmationNumber: 'FD-4',
    });
    expect(cancelLone.statusCode, cancelLone.body).toBe(200);

    const { changes } = await followFeed(context.app, feeds.tmc, start);
    expect(brief(changes)).toEqual([
      `${trip.tripId} created`,
      `${trip.tripId} updated`,
      `${trip.tripId} cancelled`,
      `${trip.tripId} updated`,
      `${left.tripId} created`,
      `${right.tripId} created`,
      `${right.tripId} deleted`,
      `${left.tripId} updated`,
      `${left.tripId} updated`,
      `${lone.tripId} created`,
      `${lone.tripId} cancelled`,
    ]);
    for (const change of changes) {
      expect(change.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
    // When each change was written: during this test.
    for (const at of changes.map((c) => Date.parse(c.at))) {
      expect(at).toBeGreaterThanOrEqual(started);
      expect(at).toBeLessThanOrEqual(Date.now());
    }
  });

  it('pages by next until a page is empty, whatever the limit, and starts from the oldest kept', async () => {
    for (let i = 0; i < 5; i += 1) {
      await createTrip(context.app, traveller, simpleTrip(`Paged ${i}`, 10 + i, 11 + i));
    }
    const whole = await followFeed(context.app, feeds.tmc);
    expect(whole.changes.length).toBeGreaterThanOrEqual(16);
    const byTwo = await followFeed(context.app, feeds.tmc, undefined, 2);
    expect(byTwo.changes).toEqual(whole.changes);
    expect(byTwo.pages).toBe(Math.ceil(whole.changes.length / 2) + 1);
    // Without limit: 100 at most.
    const first = await feedPage(context.app, feeds.tmc);
    expect(first.changes).toEqual(whole.changes.slice(0, 100));
    // An empty page gives back the position it was asked for, and nothing repeats.
    const again = await feedPage(context.app, feeds.tmc, { after: whole.next });
    expect(again).toEqual({ changes: [], next: whole.next });
    // A later change is the only thing after that position.
    const later = await createTrip(context.app, traveller, simpleTrip('Later', 20, 21));
    expect(brief((await followFeed(context.app, feeds.tmc, whole.next)).changes)).toEqual([
      `${later.tripId} created`,
    ]);
  });

  it('shows a company token the changes the trip list would show it, and nothing else', async () => {
    const start = Object.fromEntries(
      await Promise.all(
        Object.entries(feeds).map(async ([name, token]) => [name, await now(token)]),
      ),
    ) as Record<keyof typeof feeds, string>;
    const agencyTrip = await createTrip(context.app, traveller, simpleTrip('Agency A', 30, 31));
    const agencyBTrip = await createTrip(context.app, colleagueB, simpleTrip('Agency B', 30, 31));
    const openTrip = await placeBooking(
      context.app,
      colleague,
      bookingXml({
        locator: 'FD-OPEN',
        source: world.supplierSource,
        type: 'Hotel',
        from: 200,
        to: 202,
      }),
    );
    const foreignTrip = await createTrip(
      context.app,
      foreignTraveller,
      simpleTrip('Abroad', 34, 35),
    );
    const seen = async (name: keyof typeof feeds) =>
      brief((await followFeed(context.app, feeds[name], start[name])).changes);

    const agencyA = `${agencyTrip.tripId} created`;
    const agencyB = `${agencyBTrip.tripId} created`;
    const open = `${openTrip.tripId} created`;
    expect(await seen('supplier')).toEqual([agencyA, agencyB, open]);
    expect(await seen('partner')).toEqual([agencyA, agencyB, open]);
    // A TMC app sees the trips of no agency and of its own, not another agency's.
    expect(await seen('tmc')).toEqual([agencyA, open]);
    expect(await seen('otherAgencyTmc')).toEqual([agencyB, open]);
    // Another company's app sees its own company's trips only.
    expect(await seen('foreignTmc')).toEqual([`${foreignTrip.tripId} created`]);
  });

  it('refuses user tokens, missing tokens and tokens without a trip read scope', async () => {
    const asUser = await getFeed(context.app, traveller);
    expect(asUser.statusCode).toBe(403);
    expect(asUser.json()).toMatchObject({ error: 'forbidden' });
    expect(asUser.json().message).toMatch(/company-level access token/);
    expect((await getFeed(context.app, '')).statusCode).toBe(401);
    // v4's read scope alone, or v1.1's ITINER alone, reads the feed; the events scope alone does not.
    const app = world.apps.tmc;
    for (const scope of ['travel.itinerary.read', 'ITINER']) {
      const token = await companyToken(context, app, scope);
      expect((await getFeed(context.app, token)).statusCode, scope).toBe(200);
    }
    const eventsOnly = await getFeed(
      context.app,
      await companyToken(context, app, 'events.topic.read'),
    );
    expect(eventsOnly.statusCode).toBe(403);
  });

  it('answers 400 naming the parameter for a cursor it did not issue or a bad limit', async () => {
    const { next } = await feedPage(context.app, feeds.tmc);
    const decoded = Buffer.from(next, 'base64url').toString();
    const [seq, id, mac] = decoded.split('.');
    const forged = Buffer.from(`${Number(seq) + 1}.${id}.${mac}`).toString('base64url');
    const bad = [
      'garbage',
      forged,
      `${next}x`,
      next.slice(1),
      'A'.repeat(129),
      Buffer.from('1.1.AAAAAAAAAAAAAAAAAAAAAA').toString('base64url'),
    ];
    for (const after of bad) {
      const response = await getFeed(context.app, feeds.tmc, { after });
      expect(response.statusCode, after).toBe(400);
      expect(response.json()).toMatchObject({ error: 'bad_request' });
      expect(response.json().message).toMatch(/after/);
    }
    for (const limit of ['0', '1001', 'ten', '-1', '1.5', ' 5']) {
      const response = await getFeed(context.app, feeds.tmc, { limit });
      expect(response.statusCode, limit).toBe(400);
      expect(response.json().message).toMatch(/limit/);
    }
    expect((await getFeed(context.app, feeds.tmc, { after: '' })).statusCode).toBe(400);
    expect(
      (await feedPage(context.app, feeds.tmc, { limit: '1000' })).changes.length,
    ).toBeGreaterThan(0);
  });

  it('tells a trip update that leaves the trip cancelled from one that cancels it', async () => {
    const start = await now();
    const trip = await createTrip(context.app, traveller, tripXml({ name: 'Plain' }));
    const cancelled = await postTrip(
      context.app,
      traveller,
      tripXml({ name: 'Plain', extra: '<TripStatus>2</TripStatus>' }),
      { tripId: trip.tripId },
    );
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(brief((await followFeed(context.app, feeds.tmc, start)).changes)).toEqual([
      `${trip.tripId} created`,
      `${trip.tripId} cancelled`,
    ]);
  });
});
