/**
 * Who sees which opportunities and latest bookings (docs/ACCESS.md, "Insights"): v1.1's reach
 * (a traveller their own trips, a company token its companies' trips, a TMC app not another
 * agency's) and a TripLink supplier only the trips holding one of its bookings, in its view.
 * A trip out of reach answers 404, as if it did not exist.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AccessWorld,
  companyToken,
  seedAccessWorld,
  tmcTripXml,
  userToken,
} from '../helpers/access-world.js';
import { useTestContext } from '../helpers/app-fixture.js';
import type { TestContext } from '../helpers/test-app.js';
import { createTrip, dateOnly, dayAt } from '../helpers/trip-requests.js';
import {
  errorOf,
  getInsights,
  LATEST,
  OPPORTUNITIES,
  oneWayTripXml,
  opportunities,
} from './insights-world.js';

let context: TestContext;
let world: AccessWorld;
/** The traveller's trip of the TMC alone, the traveller's trip holding a supplier booking, a colleague's, a foreign traveller's. */
const trips = { own: '', mixed: '', colleague: '', foreign: '' };
const WINDOW = { fromUtc: dateOnly(0), toUtc: dateOnly(60) };

useTestContext((given) => {
  context = given;
});

beforeAll(async () => {
  world = await seedAccessWorld(context);
  const tmc = await companyToken(context, world.apps.tmc);
  const forUser = (loginId: string) => ({ userid_type: 'login_id', userid_value: loginId });
  const { home, foreign } = world;
  trips.own = (
    await createTrip(context.app, tmc, oneWayTripXml(world, 20), forUser(home.traveller.loginId))
  ).tripId;
  trips.mixed = (
    await createTrip(
      context.app,
      tmc,
      tmcTripXml(world, 'Mixed', true),
      forUser(home.traveller.loginId),
    )
  ).tripId;
  trips.colleague = (
    await createTrip(context.app, tmc, oneWayTripXml(world, 30), forUser(home.colleague.loginId))
  ).tripId;
  const foreignTmc = await companyToken(context, world.apps.foreignTmc);
  trips.foreign = (
    await createTrip(
      context.app,
      foreignTmc,
      oneWayTripXml(world, 20, `F${world.tmcSource}`),
      forUser(foreign.traveller.loginId),
    )
  ).tripId;
});

/** The trips of the window's opportunities, each once. */
async function tripsSeenBy(token: string): Promise<string[]> {
  const body = await opportunities(context.app, token, WINDOW);
  return [...new Set(body.Items.map((item) => item.TripId))].sort();
}

const sorted = (...ids: string[]) => [...ids].sort();

describe('opportunities by caller', () => {
  it('shows a traveller their own trips only; a colleague’s or a foreign trip is 404', async () => {
    const token = await userToken(context, world.apps.tmc, world.home.traveller);
    expect(await tripsSeenBy(token)).toEqual(sorted(trips.own, trips.mixed));
    for (const tripId of [trips.colleague, trips.foreign, 'no-such-trip']) {
      const message = errorOf(
        await getInsights(context.app, token, OPPORTUNITIES, { tripId }),
        404,
      );
      expect(message).toBe(`The trip '${tripId}' was not found.`);
    }
  });

  it('shows a TMC or partner company token every trip of its companies', async () => {
    for (const app of [world.apps.tmc, world.apps.partner]) {
      const token = await companyToken(context, app);
      expect(await tripsSeenBy(token)).toEqual(sorted(trips.own, trips.mixed, trips.colleague));
    }
  });

  it('hides another agency’s trips from a TMC app, and the company’s trips from a foreign app', async () => {
    const otherAgency = await companyToken(context, world.apps.otherAgencyTmc);
    expect(await tripsSeenBy(otherAgency)).toEqual([]);
    const foreignTmc = await companyToken(context, world.apps.foreignTmc);
    expect(await tripsSeenBy(foreignTmc)).toEqual([trips.foreign]);
    for (const token of [otherAgency, foreignTmc]) {
      const response = await getInsights(context.app, token, OPPORTUNITIES, { tripId: trips.own });
      expect(errorOf(response, 404)).toContain('was not found');
    }
  });

  it('shows a TripLink supplier only the trips holding one of its bookings', async () => {
    const company = await companyToken(context, world.apps.supplier);
    const user = await userToken(context, world.apps.supplier, world.home.traveller);
    for (const token of [company, user]) {
      expect(await tripsSeenBy(token)).toEqual([trips.mixed]);
      const response = await getInsights(context.app, token, OPPORTUNITIES, { tripId: trips.own });
      expect(errorOf(response, 404)).toContain('was not found');
      const mixed = await opportunities(context.app, token, { tripId: trips.mixed });
      // Computed from the supplier view: the TMC's flight shows its date only, and the TMC's
      // train is hidden, so the car runs to the supplier's own flight out.
      const car = mixed.Items.find((item) => item.Type === 'Car');
      expect(car?.StartDateLocal).toBe(`${dateOnly(5)}T00:00:00`);
      expect(car?.EndDateLocal).toBe(dayAt(8, 10));
    }
    // The TMC sees the same gap with the flight's time, up to its train.
    const tmc = await companyToken(context, world.apps.tmc);
    const full = await opportunities(context.app, tmc, { tripId: trips.mixed });
    expect(full.Items.find((item) => item.Type === 'Car')).toMatchObject({
      StartDateLocal: dayAt(5, 11),
      EndDateLocal: dayAt(7, 13),
    });
  });
});

describe('latest bookings by caller', () => {
  it('lets a Web Services Administrator or a company token name a traveller with user', async () => {
    const admin = await userToken(context, world.apps.tmc, world.home.admin);
    const tmc = await companyToken(context, world.apps.tmc);
    for (const token of [admin, tmc]) {
      const response = await getInsights(context.app, token, LATEST, {
        user: world.home.colleague.loginId,
      });
      expect(response.statusCode, response.body).toBe(200);
      expect((response.json() as { Airlines: unknown[] }).Airlines).toEqual([
        { BookingClass: 'Y', Code: 'AS' },
        { BookingClass: 'B', Code: 'UA' },
      ]);
    }
  });

  it('refuses user to a traveller (403), a company token without user (400), a foreign user (404)', async () => {
    const traveller = await userToken(context, world.apps.tmc, world.home.traveller);
    const companyAdmin = await userToken(context, world.apps.tmc, world.home.companyAdmin);
    for (const token of [traveller, companyAdmin]) {
      const response = await getInsights(context.app, token, LATEST, {
        user: world.home.colleague.loginId,
      });
      expect(errorOf(response, 403)).toContain('administrator');
    }
    const tmc = await companyToken(context, world.apps.tmc);
    expect(errorOf(await getInsights(context.app, tmc, LATEST), 400)).toContain('user=');
    const foreign = await getInsights(context.app, tmc, LATEST, {
      user: world.foreign.traveller.loginId,
    });
    expect(foreign.statusCode).toBe(404);
  });

  it('shows a supplier the latest bookings of the trips holding its bookings, in its view', async () => {
    const supplier = await companyToken(context, world.apps.supplier);
    const response = await getInsights(context.app, supplier, LATEST, {
      user: world.home.traveller.loginId,
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json() as { Airlines: { Code?: string; BookingClass?: string }[] };
    expect(body.Airlines.length).toBeGreaterThan(0);
    // Not the one-way trip's flights (no booking of the supplier), no other booking's class.
    expect(body.Airlines.map((a) => a.Code)).not.toContain('AS');
    expect(body.Airlines.some((a) => a.BookingClass === 'Y')).toBe(false);
  });
});
