/**
 * `GET /api/v3.0/insights/opportunities` and `/latestbookings` end to end (docs/INSIGHTS.md):
 * the opportunities of the one-way trip fixture by trip and by window, in the swagger's shape,
 * filtered by type, paged through `NextPage`; a traveller's latest bookings.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AccessWorld,
  companyToken,
  seedAccessWorld,
  userToken,
} from '../helpers/access-world.js';
import { useTestContext } from '../helpers/app-fixture.js';
import type { TestContext } from '../helpers/test-app.js';
import { createTrip, dateOnly, dayAt } from '../helpers/trip-requests.js';
import {
  expectSwaggerShape,
  getInsights,
  LATEST,
  OPPORTUNITIES,
  type OpportunitiesJson,
  oneWayTripXml,
  opportunities,
  swaggerDefinition,
} from './insights-world.js';

let context: TestContext;
let world: AccessWorld;
let tmc: string;
let traveller: string;
let tripId: string;

useTestContext((given) => {
  context = given;
});

/** The TMC books the one-way trip `days` from today for `loginId`. */
async function book(loginId: string, days: number): Promise<string> {
  const created = await createTrip(context.app, tmc, oneWayTripXml(world, days), {
    userid_type: 'login_id',
    userid_value: loginId,
  });
  return created.tripId;
}

beforeAll(async () => {
  world = await seedAccessWorld(context);
  tmc = await companyToken(context, world.apps.tmc);
  traveller = await userToken(context, world.apps.tmc, world.home.traveller);
  tripId = await book(world.home.traveller.loginId, 10);
});

describe('GET /api/v3.0/insights/opportunities?tripId', () => {
  it('answers the car, taxi and return flight the trip lacks, in the swagger shape', async () => {
    const body = await opportunities(context.app, traveller, { tripId });
    expectSwaggerShape(body as unknown as Record<string, unknown>, {
      Items: { type: 'array' },
      NextPage: { type: 'string' },
    });
    expect(body.NextPage).toBeUndefined();
    expect(body.Items.map((item) => item.Type)).toEqual(['Car', 'Taxi', 'Air']);
    const definition = swaggerDefinition('Opportunities.swagger2.json', 'Opportunity');
    for (const item of body.Items) {
      expectSwaggerShape(item as unknown as Record<string, unknown>, definition);
      expect(item).toMatchObject({ TripId: tripId, IsActive: true });
      expect(item.ID).toMatch(/^[\w-]{22}$/);
      expect(item.URI).toContain(`${OPPORTUNITIES}?tripId=${encodeURIComponent(tripId)}`);
    }
    const [car, taxi, air] = body.Items;
    expect(car).toMatchObject({
      StartCityCode: 'SFO',
      EndCityCode: 'SFO',
      StartPostalCode: '94105',
      StartDateLocal: `${dayAt(10, 11).slice(0, 14)}05:00`,
      EndDateLocal: dayAt(12, 17),
    });
    // In the reference's order (its tables and swagger list the fields alphabetically).
    expect(Object.keys(car ?? {})).toEqual(Object.keys(definition));
    expect(taxi).toMatchObject({ StartCityCode: 'LAX', EndCityCode: 'LAX' });
    expect(air).toMatchObject({ StartCityCode: 'LAX', EndCityCode: 'SEA' });
  });

  it('keeps the ids of the same opportunities from one read to the next', async () => {
    const first = await opportunities(context.app, traveller, { tripId });
    const again = await opportunities(context.app, traveller, { tripId });
    expect(again.Items.map((i) => i.ID)).toEqual(first.Items.map((i) => i.ID));
    expect(new Set(first.Items.map((i) => i.ID)).size).toBe(3);
  });

  it('filters by opportunityType, a comma-separated list in any case', async () => {
    const body = await opportunities(context.app, traveller, {
      tripId,
      opportunityType: 'air, TAXI',
    });
    expect(body.Items.map((item) => item.Type)).toEqual(['Taxi', 'Air']);
    const none = await opportunities(context.app, traveller, { tripId, opportunityType: 'Hotel' });
    expect(none.Items).toEqual([]);
  });

  it('follows an opportunity URI to its trip and type', async () => {
    const [car] = (await opportunities(context.app, traveller, { tripId })).Items;
    const body = await opportunities(context.app, traveller, car?.URI ?? '');
    expect(body.Items).toEqual([car]);
  });
});

describe('GET /api/v3.0/insights/opportunities?fromUtc&toUtc', () => {
  it('answers the opportunities of trips overlapping the window', async () => {
    const body = await opportunities(context.app, traveller, {
      fromUtc: `${dateOnly(12)}T00:00:00Z`,
      toUtc: dateOnly(30),
    });
    expect(body.Items.map((item) => item.TripId)).toEqual([tripId, tripId, tripId]);
    const before = await opportunities(context.app, traveller, {
      fromUtc: dateOnly(0),
      toUtc: dateOnly(9),
    });
    expect(before).toEqual({ Items: [] });
  });

  it('marks the opportunities of a past trip inactive', async () => {
    const past = await book(world.home.traveller.loginId, -40);
    const body = await opportunities(context.app, traveller, { tripId: past });
    expect(body.Items.length).toBe(3);
    expect(body.Items.every((item) => item.IsActive === false)).toBe(true);
  });

  it('pages through NextPage, every trip once, 10 trips a page', async () => {
    const login = world.home.colleague.loginId;
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await book(login, 100 + i * 4));
    const colleague = await userToken(context, world.apps.tmc, world.home.colleague);
    const query = { fromUtc: dateOnly(99), toUtc: dateOnly(160), opportunityType: 'taxi,Car,Air' };
    const first = await opportunities(context.app, colleague, query);
    expect(first.Items.length).toBe(30);
    expect(first.NextPage).toMatch(/^http:\/\/[^/]+\/api\/v3\.0\/insights\/opportunities\?/);
    const next = new URL(first.NextPage ?? '').searchParams;
    // The types in one canonical order, so that the same set always pages the same way.
    expect(next.get('opportunityType')).toBe('Car,Air,Taxi');
    const second = await opportunities(context.app, colleague, first.NextPage ?? '');
    expect(second.NextPage).toBeUndefined();
    expect(second.Items.length).toBe(6);
    const seen = [...first.Items, ...second.Items].map((item) => item.TripId);
    expect([...new Set(seen)]).toEqual(ids);
    // The cursor is bound to its query: moved to another window or other types, it is refused.
    const moved = new URL(first.NextPage ?? '');
    moved.searchParams.set('toUtc', `${dateOnly(161)}T00:00:00.000Z`);
    const refused = await getInsights(context.app, colleague, moved.toString());
    expect(refused.statusCode, refused.body).toBe(400);
    moved.searchParams.set('toUtc', next.get('toUtc') ?? '');
    moved.searchParams.set('opportunityType', 'Car');
    expect((await getInsights(context.app, colleague, moved.toString())).statusCode).toBe(400);
    // A company token of the TMC sees both travellers' trips in the same window.
    const all = await opportunities(context.app, tmc, query);
    expect(all.NextPage).toBeDefined();
  });
});

describe('GET /api/v3.0/insights/latestbookings', () => {
  it('answers the latest airline segments and hotel, in the swagger shape', async () => {
    const response = await getInsights(context.app, traveller, LATEST);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json() as {
      Airlines: Record<string, unknown>[];
      Hotel: Record<string, unknown>;
    };
    expect(body.Airlines).toEqual([
      { BookingClass: 'Y', Code: 'AS' },
      { BookingClass: 'B', Code: 'UA' },
    ]);
    expect(body.Hotel).toEqual({ Location: 'SFO', StarRating: 0 });
    for (const airline of body.Airlines) {
      expectSwaggerShape(airline, swaggerDefinition('LatestBookings.swagger2.json', 'Airline'));
    }
    expectSwaggerShape(body.Hotel, swaggerDefinition('LatestBookings.swagger2.json', 'Hotel'));
  });

  it('answers no airlines and no hotel for a traveller without trips', async () => {
    const admin = await userToken(context, world.apps.tmc, world.home.companyAdmin);
    const response = await getInsights(context.app, admin, `${LATEST}/`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json() as OpportunitiesJson).toEqual({ Airlines: [] });
  });
});
