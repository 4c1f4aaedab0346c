/**
 * UpdateCoupon finds tickets through the ticket index (air_tickets), which every trip write
 * keeps in its own transaction: a trip create, a full-replace update that drops the ticket, a
 * booking moved to another trip (the trip it left deleted), another company's equal ticket
 * number, and the migration that fills the index from the bookings already stored.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { airTickets } from '../../../src/db/migrations/2026-12/2026-12-04T0920-air-tickets.js';
import { useTestTenant } from '../../helpers/app-fixture.js';
import { placeBooking } from '../../helpers/booking-requests.js';
import {
  couponStatusesOf,
  couponUpdate,
  ticketedBooking,
  updateCoupon,
} from '../../helpers/coupon-requests.js';
import { seedTenant, type Tenant, type TestContext, tokenFor } from '../../helpers/test-app.js';
import {
  createTrip,
  expectError,
  getTrip,
  postTrip,
  TRIP_NS,
  tripXml,
} from '../../helpers/trip-requests.js';
import { parseXml, text } from '../../helpers/xml-tree.js';

let context: TestContext;
let tenant: Tenant;
let token: string;
let admin: string;

useTestTenant((given) => {
  ({ context, tenant } = given);
});
beforeAll(async () => {
  token = await tokenFor(context, tenant, tenant.traveller);
  admin = await tokenFor(context, tenant, tenant.admin);
});

/** A trip holding the docs' ticketed booking (trip POST: never merged). */
function ticketedTrip(name: string, locator: string, controlNumber: string): string {
  return (
    `<Itinerary xmlns="${TRIP_NS}"><TripName>${name}</TripName><Bookings>` +
    `${ticketedBooking('GDS1', locator, controlNumber)}</Bookings></Itinerary>`
  );
}

async function coupons(tripId: string, as = token): Promise<Record<string, string>> {
  const response = await getTrip(context.app, as, tripId);
  expect(response.statusCode, response.body).toBe(200);
  return couponStatusesOf(response.body);
}

async function ticketRows(tripId: string): Promise<string[]> {
  const rows = await context.database.db
    .selectFrom('air_tickets')
    .select('ticket_number')
    .where('trip_id', '=', tripId)
    .execute();
  return rows.map((row) => row.ticket_number);
}

describe('UpdateCoupon through the ticket index', () => {
  it('finds a ticket a trip POST stored, and no longer once an update drops its booking', async () => {
    const { tripId } = await createTrip(
      context.app,
      token,
      ticketedTrip('T', 'IDX001', '5000000001'),
    );
    expect(await ticketRows(tripId)).toEqual(['0165000000001']);
    const used = await updateCoupon(context.app, token, couponUpdate('5000000001', 'USED'));
    expect(used.statusCode, used.body).toBe(200);
    expect(text(parseXml(used.body), 'RecordLocator')).toBe('IDX001');
    expect(await coupons(tripId)).toEqual({ '0165000000001/1': 'USED', '0165000000001/2': 'OPEN' });

    // Full replace without the ticketed booking: the ticket is gone with it.
    const replaced = await postTrip(context.app, token, tripXml({ name: 'No ticket' }), { tripId });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(await ticketRows(tripId)).toEqual([]);
    expectError(
      await updateCoupon(context.app, token, couponUpdate('5000000001', 'OPEN')),
      404,
      /5000000001/,
    );
  });

  it('follows a booking moved into another trip; the trip it left goes with its tickets', async () => {
    const first = await placeBooking(
      context.app,
      token,
      ticketedBooking('GDS1', 'IDX002', '5000000002'),
    );
    const target = await createTrip(context.app, token, tripXml({ name: 'Target' }));
    const moved = await placeBooking(
      context.app,
      token,
      ticketedBooking('GDS1', 'IDX002', '5000000002'),
      { tripId: target.tripId },
    );
    expect(moved.tripId).toBe(target.tripId);
    expect((await getTrip(context.app, token, first.tripId)).statusCode).toBe(404);
    expect(await ticketRows(first.tripId)).toEqual([]);
    expect(await ticketRows(target.tripId)).toEqual(['0165000000002']);
    const used = await updateCoupon(context.app, token, couponUpdate('5000000002', 'USED', '2'));
    expect(used.statusCode, used.body).toBe(200);
    expect(await coupons(target.tripId)).toEqual({
      '0165000000002/1': 'OPEN',
      '0165000000002/2': 'USED',
    });
  });

  it('never reaches the same ticket number in another company', async () => {
    const other = await seedTenant(context);
    const otherToken = await tokenFor(context, other, other.traveller);
    const theirs = await createTrip(
      context.app,
      otherToken,
      ticketedTrip('X', 'IDX003', '5000000003'),
    );
    expectError(
      await updateCoupon(context.app, admin, couponUpdate('5000000003', 'USED')),
      404,
      /5000000003/,
    );
    const ours = await createTrip(context.app, token, ticketedTrip('O', 'IDX003', '5000000003'));
    const used = await updateCoupon(context.app, admin, couponUpdate('5000000003', 'USED'));
    expect(used.statusCode, used.body).toBe(200);
    expect(await coupons(ours.tripId)).toEqual({
      '0165000000003/1': 'USED',
      '0165000000003/2': 'OPEN',
    });
    expect(await coupons(theirs.tripId, otherToken)).toEqual({
      '0165000000003/1': 'OPEN',
      '0165000000003/2': 'OPEN',
    });
  });

  it('is filled by its migration from the bookings already stored', async () => {
    const { tripId } = await createTrip(
      context.app,
      token,
      ticketedTrip('M', 'IDX004', '5000000004'),
    );
    const db = context.database.db;
    // A database as the previous version left it: no index at all.
    await airTickets().down(db);
    await airTickets().up(db);
    expect(await ticketRows(tripId)).toEqual(['0165000000004']);
    const used = await updateCoupon(context.app, token, couponUpdate('5000000004', 'USED'));
    expect(used.statusCode, used.body).toBe(200);
    expect(await coupons(tripId)).toEqual({ '0165000000004/1': 'USED', '0165000000004/2': 'OPEN' });
    // Every ticketed trip of the earlier tests is back too (the moved booking's, once).
    const numbers = await db.selectFrom('air_tickets').select('ticket_number').execute();
    expect(numbers.map((row) => row.ticket_number).sort()).toEqual([
      '0165000000002',
      '0165000000003',
      '0165000000003',
      '0165000000004',
    ]);
  });
});
