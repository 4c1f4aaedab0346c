/**
 * Migration 2026-12-03T1600: answers no longer carry the documented elements the XSD lacks, so
 * a rendering stored with one of them (by the previous version) is cleared, and details then
 * render the trip from its documents, without them. Other renderings stay as they are.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderingWithoutExtensions } from '../../src/db/migrations/2026-12/2026-12-03T1600-rendering-without-extensions.js';
import { sample } from '../helpers/reference-files.js';
import { buildTestApp, seedTenant, type TestContext, tokenFor } from '../helpers/test-app.js';
import { createTrip, getTrip, tripXml } from '../helpers/trip-requests.js';
import { xsdProblems } from '../helpers/xsd-check.js';

let context: TestContext;
let token: string;

beforeAll(async () => {
  // A migration runs before the service starts, so no process keeps a trip across it. Here it
  // runs under a live app: kept trips would answer from before the upgrade.
  context = await buildTestApp({ tripCacheMb: 0 });
  const tenant = await seedTenant(context);
  token = await tokenFor(context, tenant, tenant.traveller);
});
afterAll(() => context.close());

async function storedRendering(tripId: string): Promise<string | null> {
  const row = await context.database.db
    .selectFrom('trips')
    .select('rendering')
    .where('id', '=', tripId)
    .executeTakeFirstOrThrow();
  return row.rendering;
}

async function storeRendering(tripId: string, rendering: string): Promise<void> {
  await context.database.db
    .updateTable('trips')
    .set({ rendering })
    .where('id', '=', tripId)
    .execute();
}

const migration = renderingWithoutExtensions();

describe('renderings stored with elements the XSD lacks', () => {
  it('are cleared, and details answer the trip without them', async () => {
    const { tripId } = await createTrip(context.app, token, sample('post-trip-tmc-request.xml'));
    const current = (await storedRendering(tripId)) as string;
    expect(current).not.toContain('ItinSourceName');
    // What the previous version stored: the trip's ItinSourceName in the rendering.
    const old = current.replace(
      '<TripLinkLocator>',
      '<ItinSourceName>ConcurTravel</ItinSourceName><TripLinkLocator>',
    );
    expect(old).not.toBe(current);
    await storeRendering(tripId, old);
    expect((await getTrip(context.app, token, tripId)).body).toContain('<ItinSourceName>');
    await migration.up(context.database.db);
    expect(await storedRendering(tripId)).toBeNull();
    const details = await getTrip(context.app, token, tripId);
    expect(details.statusCode).toBe(200);
    expect(xsdProblems(details.body)).toEqual([]);
  });

  it('clears one for each element, segment-scoped ones only after their segment', async () => {
    const cases: [string, boolean][] = [
      [
        '<Bookings><Booking><OriginalItinLocator>X</OriginalItinLocator></Booking></Bookings>',
        true,
      ],
      ['<Passengers><Passenger><PassengerKey>0</PassengerKey></Passenger></Passengers>', true],
      ['<Car><CancellationPolicy /></Car>', true],
      ['<Hotel><EndCityCode>PAR</EndCityCode></Hotel>', true],
      ['<Ride><IsPersonal>true</IsPersonal></Ride>', true],
      ['<Parking><VendorName>P</VendorName></Parking>', true],
      ['<Car><EndCityCode>PAR</EndCityCode></Car>', false],
      ['<IsPersonal>true</IsPersonal><Air><VendorName>AZ</VendorName></Air>', false],
      ['<TripName>&lt;ItinSourceName&gt;</TripName>', false],
    ];
    for (const [rendering, cleared] of cases) {
      const { tripId } = await createTrip(context.app, token, tripXml({ name: 'Case' }));
      await storeRendering(tripId, rendering);
      await migration.up(context.database.db);
      expect(await storedRendering(tripId), rendering).toBe(cleared ? null : rendering);
    }
  });
});
