/**
 * DELETE /travel/v4/trips/{id} (docs/ACCESS.md, "Deleting and anonymizing"): administrators
 * only, the v1.1 write reach; the trip, its bookings, ticket index and pending v1.1
 * notifications go in one transaction; ItineraryDeleted (ESS), CANCEL (v1.1) and the feed's
 * `deleted` are written; a second DELETE is 404.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { companyToken, userToken } from '../../helpers/access-world.js';
import { useTestContext } from '../../helpers/app-fixture.js';
import { subscribeEss } from '../../helpers/ess-world.js';
import {
  rowsOfTrip,
  type SubscribedWorld,
  seedSubscribedWorld,
} from '../../helpers/notification-world.js';
import type { TestContext } from '../../helpers/test-app.js';
import { createTrip, getTrip, postTrip, simpleTrip } from '../../helpers/trip-requests.js';
import { getTripV4, v4Token } from '../../helpers/v4-requests.js';
import { parseXml, text } from '../../helpers/xml-tree.js';
import { brief, followFeed } from '../feed/feed-client.js';
import { deleteTripV4, errorOf } from './erase-requests.js';

let context: TestContext;
let subscribed: SubscribedWorld;
let admin: string;
let tmcCompany: string;

useTestContext((given) => {
  context = given;
});
beforeAll(async () => {
  subscribed = await seedSubscribedWorld(context);
  const { world } = subscribed;
  admin = await userToken(context, world.apps.tmc, world.home.admin);
  tmcCompany = await v4Token(
    context,
    world.apps.tmc,
    'ITINER events.topic.read travel.itinerary.read',
  );
  await subscribeEss(context, tmcCompany, 'erase-test', 'https://receiver.example/ess');
});

async function newTrip(name: string): Promise<string> {
  return (await createTrip(context.app, subscribed.traveller, simpleTrip(name, 5, 7))).tripId;
}

async function count(table: 'bookings' | 'air_tickets' | 'trips', tripId: string) {
  const column = table === 'trips' ? 'id' : 'trip_id';
  const rows = await context.database.db
    .selectFrom(table)
    .select(column)
    .where(column, '=', tripId)
    .execute();
  return rows.length;
}

describe('DELETE /travel/v4/trips/{id}', () => {
  it('refuses travellers and read-only apps (403) and leaves the trip', async () => {
    const { world } = subscribed;
    const tripId = await newTrip('Kept');
    const companyAdmin = await userToken(context, world.apps.tmc, world.home.companyAdmin);
    for (const token of [
      subscribed.traveller,
      companyAdmin,
      await companyToken(context, world.apps.partner),
    ]) {
      errorOf(await deleteTripV4(context.app, token, tripId), 403);
    }
    expect(await count('trips', tripId)).toBe(1);
  });

  it('answers 404 to apps that do not reach the trip, and for unknown ids', async () => {
    const { world } = subscribed;
    const tripId = await newTrip('Out of reach');
    for (const app of [world.apps.otherAgencyTmc, world.apps.foreignTmc]) {
      const token = await companyToken(context, app);
      expect(errorOf(await deleteTripV4(context.app, token, tripId), 404)).toBe(
        `The trip '${tripId}' was not found.`,
      );
    }
    errorOf(await deleteTripV4(context.app, admin, 'no-such-trip'), 404);
    expect(await count('trips', tripId)).toBe(1);
  });

  it('refuses a supplier a trip holding bookings of others', async () => {
    const tripId = await newTrip('Not the supplier’s');
    const supplier = await companyToken(context, subscribed.world.apps.supplier);
    expect(errorOf(await deleteTripV4(context.app, supplier, tripId), 403)).toMatch(/bookings of/);
    expect(await count('trips', tripId)).toBe(1);
  });

  it('deletes the trip and everything of it, reports it, and is 404 the second time', async () => {
    const tripId = await newTrip('Deleted');
    const feedStart = (await followFeed(context.app, tmcCompany)).next;
    const pending = await rowsOfTrip(context, tripId);
    expect(pending.some((row) => row.event_type === 'CREATE')).toBe(true);

    const response = await deleteTripV4(context.app, admin, tripId);
    expect(response.statusCode, response.body).toBe(204);
    expect(response.body).toBe('');

    for (const table of ['trips', 'bookings', 'air_tickets'] as const) {
      expect(await count(table, tripId)).toBe(0);
    }
    expect((await getTrip(context.app, subscribed.traveller, tripId)).statusCode).toBe(404);
    expect((await getTripV4(context.app, tmcCompany, tripId)).statusCode).toBe(404);

    // The pending CREATEs are gone (they named the traveller); CANCEL and ItineraryDeleted remain.
    const rows = await rowsOfTrip(context, tripId);
    const v1 = rows.filter((row) => row.channel === 'v1');
    expect(v1.map((row) => row.event_type)).toEqual(v1.map(() => 'CANCEL'));
    expect(v1.map((row) => row.app_id).sort()).toEqual(subscribed.expected('tmc', 'partner'));
    const ess = rows.filter((row) => row.channel === 'ess').map((row) => row.event_type);
    expect(ess).toEqual(['ItineraryCreated', 'ItineraryDeleted']);
    const deleted = rows.find((row) => row.event_type === 'ItineraryDeleted');
    const facts = JSON.parse(deleted?.body ?? '{}').facts;
    expect(facts.id).toBe(tripId);
    // A deleted trip has no v4 link (v4.itinerary-events.md).
    expect(facts).not.toHaveProperty('hrefs');

    const feed = await followFeed(context.app, tmcCompany, feedStart);
    expect(brief(feed.changes)).toEqual([`${tripId} deleted`]);

    errorOf(await deleteTripV4(context.app, admin, tripId), 404);
  });

  it('forgets the answers kept for retries that hold the trip', async () => {
    const key = { 'idempotency-key': `erase-${Date.now()}` };
    const xml = simpleTrip('Retried', 5, 7);
    const first = await postTrip(context.app, subscribed.traveller, xml, {}, key);
    expect(first.statusCode, first.body).toBe(200);
    const tripId = text(parseXml(first.body), 'TripId') as string;
    const kept = () =>
      context.database.db
        .selectFrom('idempotency_keys')
        .select('idem_key')
        .where('idem_key', '=', key['idempotency-key'])
        .execute();
    expect(await kept()).toHaveLength(1);
    expect((await deleteTripV4(context.app, admin, tripId)).statusCode).toBe(204);
    expect(await kept()).toHaveLength(0);
    // The retry now runs anew: a new trip, not the deleted one's answer.
    const retry = await postTrip(context.app, subscribed.traveller, xml, {}, key);
    expect(retry.statusCode, retry.body).toBe(200);
    expect(text(parseXml(retry.body), 'TripId')).not.toBe(tripId);
  });

  it('lets the TMC app that wrote the trip delete it with its company-level token', async () => {
    const tripId = await newTrip('Deleted by the TMC');
    expect((await deleteTripV4(context.app, tmcCompany, tripId)).statusCode).toBe(204);
    expect(await count('trips', tripId)).toBe(0);
  });
});
