/**
 * ESS deliveries end to end: trip and booking writes reach a real receiver on 127.0.0.1 as
 * signed itinerary events; ESS's retry rules; another company's subscriber hears nothing.
 */

import { createVerify } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useTestContext } from '../../helpers/app-fixture.js';
import { bookingXml, placeBooking } from '../../helpers/booking-requests.js';
import { type ReceivedRequest, Receiver } from '../../helpers/delivery-receiver.js';
import { essCall, essTenant, subscribeEss } from '../../helpers/ess-world.js';
import { type Tenant, type TestContext, tokenFor } from '../../helpers/test-app.js';
import { cancelTrip, createTrip, postTrip, simpleTrip } from '../../helpers/trip-requests.js';
import { waitFor } from '../../helpers/wait-for.js';

let context: TestContext;
let receiver: Receiver;
let tenant: Tenant;
let token: string;
let traveller: string;
let subscriptionId: string;

beforeAll(async () => {
  receiver = await new Receiver().start();
});
afterAll(async () => {
  await receiver?.stop();
});
useTestContext(
  {
    config: {
      notificationDelivery: true,
      notificationAllowPrivateTargets: true,
      notificationTimeoutMs: 500,
      metricsPublic: true,
    },
    build: { notificationWorker: { pollIntervalMs: 20, backoffBaseMs: 50, backoffCapMs: 100 } },
  },
  async (given) => {
    context = given;
    ({ tenant, token } = await essTenant(context));
    traveller = await tokenFor(context, tenant, tenant.traveller);
    subscriptionId = `ess-test.${tenant.app.clientId}`;
    await subscribeEss(context, token, subscriptionId, receiver.url('/ess/home'));
    // Another company's app, subscribed to its own company: hears nothing of the home trips.
    const foreign = await essTenant(context);
    await subscribeEss(
      context,
      foreign.token,
      `ess-test.${foreign.tenant.app.clientId}`,
      receiver.url('/ess/foreign'),
    );
  },
);

beforeEach(() => {
  receiver.handler = (_request, response) => response.end('ok');
});

interface ItineraryEvent {
  id: string;
  eventType: string;
  timeStamp: string;
  topic: string;
  correlationId: string;
  facts: { id: string; userId: string; companyId: string; hrefs?: { v4: string } };
}

const eventOf = (request: ReceivedRequest) => JSON.parse(request.body) as ItineraryEvent;
const eventsFor = (tripId: string, path = '/ess/home') =>
  receiver.requests.filter((r) => r.path === path && eventOf(r).facts.id === tripId);

async function eventTypesFor(tripId: string, count: number): Promise<string[]> {
  await waitFor(() => eventsFor(tripId).length >= count || undefined, 10_000);
  return eventsFor(tripId).map((r) => eventOf(r).eventType);
}

let publicKey: string | undefined;
async function verified(request: ReceivedRequest): Promise<boolean> {
  publicKey ??= (await context.app.inject({ method: 'GET', url: '/events/v4/public-key' })).body;
  const header = String(request.headers['concur-signature']);
  const parts = Object.fromEntries(
    header.split(',').map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]),
  );
  const verifier = createVerify('sha256');
  verifier.update(`${parts.t}.`);
  verifier.update(request.body);
  return verifier.verify(publicKey, parts.sig ?? '', 'base64');
}

describe('trip and booking writes', () => {
  it('a trip create, update and cancel arrive as Created, Updated, Cancelled, signed', async () => {
    const { tripId } = await createTrip(context.app, traveller, simpleTrip('ESS', 10, 12));
    expect(await eventTypesFor(tripId, 1)).toEqual(['ItineraryCreated']);
    const [request] = eventsFor(tripId);
    if (!request) throw new Error('no request');
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(await verified(request)).toBe(true);
    const event = eventOf(request);
    const user = await context.database.db
      .selectFrom('users')
      .select(['id', 'company_id'])
      .where('login_id', '=', tenant.traveller.loginId)
      .executeTakeFirstOrThrow();
    expect(Object.keys(event)).toEqual([
      'id',
      'eventType',
      'timeStamp',
      'topic',
      'correlationId',
      'facts',
    ]);
    expect(event).toMatchObject({
      topic: 'public.concur.travel.itinerary',
      facts: { id: tripId, userId: user.id, companyId: user.company_id },
    });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(request.headers['concur-correlationid']).toBe(event.correlationId);
    expect(new Date(event.timeStamp).toISOString()).toBe(event.timeStamp);
    expect(event.facts.hrefs?.v4).toMatch(new RegExp(`^https?://[^/]+/travel/v4/trips/${tripId}$`));

    const updated = await postTrip(context.app, traveller, simpleTrip('ESS 2', 10, 13), { tripId });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(await eventTypesFor(tripId, 2)).toEqual(['ItineraryCreated', 'ItineraryUpdated']);
    expect((await cancelTrip(context.app, traveller, tripId)).statusCode).toBe(200);
    expect(await eventTypesFor(tripId, 3)).toEqual([
      'ItineraryCreated',
      'ItineraryUpdated',
      'ItineraryCancelled',
    ]);
    const ids = eventsFor(tripId).map((r) => eventOf(r).id);
    expect(new Set(ids).size).toBe(3);
    for (const r of eventsFor(tripId)) expect(await verified(r)).toBe(true);
    // The foreign company's subscriber heard nothing of this trip.
    expect(eventsFor(tripId, '/ess/foreign')).toEqual([]);
  });

  it('a booking post makes a trip (Created), a second into it Updates', async () => {
    const first = await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'ESSB1', from: 60, to: 62 }),
    );
    expect(await eventTypesFor(first.tripId, 1)).toEqual(['ItineraryCreated']);
    await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'ESSB2', from: 61, to: 61, type: 'Hotel' }),
      { tripId: first.tripId },
    );
    expect(await eventTypesFor(first.tripId, 2)).toEqual(['ItineraryCreated', 'ItineraryUpdated']);
  });

  it('a booking that joins two trips: the absorbed trip is Deleted (no hrefs), the other Updated', async () => {
    const a = await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'ESSM1', from: 80, to: 81 }),
    );
    const b = await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'ESSM2', from: 83, to: 84 }),
    );
    expect(a.tripId).not.toBe(b.tripId);
    expect(await eventTypesFor(b.tripId, 1)).toEqual(['ItineraryCreated']);
    const bridge = await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'ESSM3', from: 80, to: 84, type: 'Hotel' }),
    );
    expect(bridge.tripId).toBe(a.tripId);
    expect(await eventTypesFor(b.tripId, 2)).toEqual(['ItineraryCreated', 'ItineraryDeleted']);
    expect(await eventTypesFor(a.tripId, 2)).toEqual(['ItineraryCreated', 'ItineraryUpdated']);
    const deleted = eventsFor(b.tripId).map(eventOf).at(-1);
    // A deleted trip has no v4 rendering to point at; the survivor's event does.
    expect(deleted?.facts.hrefs).toBeUndefined();
    expect(eventsFor(a.tripId).map(eventOf).at(-1)?.facts.hrefs?.v4).toContain(
      `/travel/v4/trips/${a.tripId}`,
    );
    // The v4 trip of the absorbed id is gone.
    const gone = await context.app.inject({
      method: 'GET',
      url: `/travel/v4/trips/${b.tripId}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(gone.statusCode).toBe(404);
  });

  it('a refused write publishes nothing', async () => {
    const before = await context.database.db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('channel', '=', 'ess')
      .executeTakeFirstOrThrow();
    const refused = await postTrip(context.app, traveller, '<Itinerary><TripName>x</TripName>');
    expect(refused.statusCode).toBe(400);
    const after = await context.database.db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('channel', '=', 'ess')
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});

interface Attempt {
  eventId: string;
  status: number | null;
  outcome: string;
  attempt: number;
  errorClass: string | null;
}

async function attemptsOf(eventId: string): Promise<Attempt[]> {
  const response = await essCall(
    context,
    'GET',
    `/subscriptions/${subscriptionId}/deliveries?limit=200`,
    token,
  );
  expect(response.statusCode, response.body).toBe(200);
  return (response.json().deliveries as Attempt[]).filter((a) => a.eventId === eventId).reverse();
}

describe('ESS retry rules', () => {
  it('retries 503, 401 and 429, then delivers; the attempts are listed', async () => {
    const answers = [503, 401, 429, 200];
    receiver.handler = (_request, response) => {
      response.statusCode = answers.shift() ?? 200;
      response.end();
    };
    const { tripId } = await createTrip(context.app, traveller, simpleTrip('Retry', 20, 21));
    await waitFor(() => eventsFor(tripId).length >= 4 || undefined, 10_000);
    const eventId = eventOf(eventsFor(tripId)[0] as ReceivedRequest).id;
    expect(eventsFor(tripId).every((r) => eventOf(r).id === eventId)).toBe(true);
    expect(new Set(eventsFor(tripId).map((r) => r.body)).size).toBe(1);
    const attempts = await waitFor(async () => {
      const list = await attemptsOf(eventId);
      return list.length === 4 ? list : undefined;
    }, 5_000);
    expect(attempts.map((a) => [a.attempt, a.status, a.outcome])).toEqual([
      [1, 503, 'retry'],
      [2, 401, 'retry'],
      [3, 429, 'retry'],
      [4, 200, 'delivered'],
    ]);
    const metrics = await context.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/itinera_event_deliveries_total\{outcome="delivered"\} [1-9]/);
  });

  it('does not retry a 400: the event is dead after one attempt', async () => {
    receiver.handler = (_request, response) => {
      response.statusCode = 400;
      response.end();
    };
    const { tripId } = await createTrip(context.app, traveller, simpleTrip('Bad', 30, 31));
    await waitFor(() => eventsFor(tripId).length >= 1 || undefined, 10_000);
    const eventId = eventOf(eventsFor(tripId)[0] as ReceivedRequest).id;
    const attempts = await waitFor(async () => {
      const list = await attemptsOf(eventId);
      return list.length === 1 ? list : undefined;
    }, 5_000);
    expect(attempts[0]).toMatchObject({ status: 400, outcome: 'dead', errorClass: 'http_status' });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(eventsFor(tripId)).toHaveLength(1);
    const row = await context.database.db
      .selectFrom('notifications')
      .select(['status', 'attempts'])
      .where('event_id', '=', eventId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'dead', attempts: 1 });
  });
});
