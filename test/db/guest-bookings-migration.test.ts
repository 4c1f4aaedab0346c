/**
 * Migration 2026-12-04T0900: bookings and trips get their guest keys (docs/COMPATIBILITY.md,
 * "Guest bookings"). Rows written before are the travellers' own, so every trip listed before
 * the upgrade is still listed; a trip's next write sets its key. The window indexes carry the
 * key, so the list's page query reads the index alone (checked on SQLite's plan).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestBookings } from '../../src/db/migrations/2026-12/2026-12-04T0900-guest-bookings.js';
import { tripDayCounts } from '../../src/db/migrations/2026-12-05/2026-12-05T1200-trip-day-counts.js';
import {
  buildTestApp,
  seedTenant,
  type TestContext,
  testDialect,
  tokenFor,
} from '../helpers/test-app.js';
import { createTrip, dayAt, listedTripIds, postTrip, tripXml } from '../helpers/trip-requests.js';

let context: TestContext;
let token: string;

beforeAll(async () => {
  // A migration runs before the service starts, so no process holds a list page or trip across
  // it. Here it runs under a live app: kept reads would answer from before the upgrade.
  context = await buildTestApp({ listCacheMb: 0, tripCacheMb: 0 });
  const tenant = await seedTenant(context);
  token = await tokenFor(context, tenant, tenant.traveller);
});
afterAll(() => context.close());

/** A trip of one booking for Ann Lee, a guest of the traveller (Chris Miller). */
const guestTrip = tripXml({
  name: 'Candidate',
  bookings: [
    {
      locator: 'GUEST1',
      segments: [{ type: 'Hotel', start: dayAt(3), end: dayAt(5) }],
      extra:
        '<Passengers><Passenger><NameFirst>Ann</NameFirst><NameLast>Lee</NameLast></Passenger></Passengers>',
    },
  ],
});

async function guestKeys(tripId: string): Promise<(string | null)[]> {
  const { db } = context.database;
  const trip = await db
    .selectFrom('trips')
    .select('guest_key')
    .where('id', '=', tripId)
    .executeTakeFirstOrThrow();
  const bookings = await db
    .selectFrom('bookings')
    .select('guest_key')
    .where('trip_id', '=', tripId)
    .execute();
  return [trip.guest_key, ...bookings.map((b) => b.guest_key)];
}

describe('migration 2026-12-04T0900-guest-bookings', () => {
  it('reads rows written before as own trips, until their next write', async () => {
    const { tripId } = await createTrip(context.app, token, guestTrip);
    const keys = await guestKeys(tripId);
    expect(keys[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(await listedTripIds(context.app, token)).toEqual([]);

    // As before the upgrade: no key columns. Then the upgrade.
    // The later migration whose triggers read the key goes first and comes back last.
    const migration = guestBookings();
    const dayCounts = tripDayCounts({ dialect: testDialect() });
    await dayCounts.down(context.database.db);
    await migration.down(context.database.db);
    await migration.up(context.database.db);
    await dayCounts.up(context.database.db);
    expect(await guestKeys(tripId)).toEqual([null, null]);
    expect(await listedTripIds(context.app, token)).toEqual([tripId]);

    // The trip's next write recomputes its keys.
    expect((await postTrip(context.app, token, guestTrip, { tripId })).statusCode).toBe(200);
    expect(await guestKeys(tripId)).toEqual(keys);
    expect(await listedTripIds(context.app, token)).toEqual([]);
  });

  it.skipIf(testDialect() !== 'sqlite')(
    'lets the list page query read the owner window index alone',
    async () => {
      const plan = await sql<{ detail: string }>`explain query plan
        select id, start_at from trips
        where company_id in ('c') and owner_id = 'o' and start_at >= 0 and end_at >= 1
          and start_at <= 2 and status not in (2, 5) and guest_key is null
        order by start_at, id limit 200`.execute(context.database.db);
      expect(plan.rows.map((row) => row.detail).join('\n')).toMatch(
        /USING COVERING INDEX trips_owner_start_idx/,
      );
    },
  );
});
