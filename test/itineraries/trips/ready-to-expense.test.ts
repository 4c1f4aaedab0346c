/**
 * `readyToExpense` on the v1.1 list (Itinera's extension, docs/COMPATIBILITY.md "Expense
 * readiness"): Concur's rule, stored at every write, with the company's PreExpenseAir option.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, seedTenant, type TestContext, tokenFor } from '../../helpers/test-app.js';
import {
  createTrip,
  dayAt,
  everyTripId,
  expectError,
  listTrips,
  simpleTrip,
  tripXml,
} from '../../helpers/trip-requests.js';

let context: TestContext;
let token: string;
let company: string;
const ids: Record<string, string> = {};

const ticket =
  '<AirlineTickets><AirlineTicket><AirlineTicketCoupons><AirlineTicketCoupon>' +
  '<CouponNumber>1</CouponNumber><CouponStatus>OPEN</CouponStatus>' +
  '</AirlineTicketCoupon></AirlineTicketCoupons>' +
  '<PlatingCarrierNumericCode>220</PlatingCarrierNumericCode>' +
  '<PlatingControlNumber>1234567890</PlatingControlNumber></AirlineTicket></AirlineTickets>';

function air(fromDay: number, extra = ticket) {
  return tripXml({
    name: 'Air',
    bookings: [
      {
        locator: `AIR${fromDay}${extra ? 'T' : 'N'}`,
        segments: [{ type: 'Air', start: dayAt(fromDay), end: dayAt(fromDay, 15) }],
        extra,
      },
    ],
  });
}

beforeAll(async () => {
  context = await buildTestApp();
  const tenant = await seedTenant(context);
  token = await tokenFor(context, tenant, tenant.traveller);
  const row = await context.database.db
    .selectFrom('companies')
    .select('id')
    .where('name', '=', tenant.company)
    .executeTakeFirstOrThrow();
  company = row.id;
  const trips: Record<string, string> = {
    pastHotel: simpleTrip('Past hotel', -10, -8, 'Hotel'),
    futureHotel: simpleTrip('Future hotel', 5, 8, 'Hotel'),
    pastRail: simpleTrip('Past rail', -10, -9, 'Rail'),
    pastTicketedAir: air(-20),
    pastUnticketedAir: air(-21, ''),
    futureTicketedAir: air(20),
  };
  for (const [name, xml] of Object.entries(trips)) {
    ids[name] = (await createTrip(context.app, token, xml)).tripId;
  }
});
afterAll(() => context.close());

async function ready(value: string): Promise<string[]> {
  const listed = await everyTripId(context.app, token, { readyToExpense: value });
  return Object.keys(ids)
    .filter((name) => listed.includes(ids[name] as string))
    .sort();
}

describe('readyToExpense', () => {
  it("applies Concur's rule: after the trip, with a hotel, car, ride or ticketed air", async () => {
    expect(await ready('true')).toEqual(['pastHotel', 'pastTicketedAir']);
    expect(await ready('false')).toEqual([
      'futureHotel',
      'futureTicketedAir',
      'pastRail',
      'pastUnticketedAir',
    ]);
  });

  it('makes ticketed air ready at once for a company with PreExpenseAir', async () => {
    await context.database.db
      .updateTable('companies')
      .set({ pre_expense_air: 1 })
      .where('id', '=', company)
      .execute();
    try {
      expect(await ready('true')).toEqual(['futureTicketedAir', 'pastHotel', 'pastTicketedAir']);
      expect(await ready('false')).toEqual(['futureHotel', 'pastRail', 'pastUnticketedAir']);
    } finally {
      await context.database.db
        .updateTable('companies')
        .set({ pre_expense_air: 0 })
        .where('id', '=', company)
        .execute();
    }
  });

  it('refuses a value other than true or false', async () => {
    const response = await listTrips(context.app, token, { readyToExpense: 'maybe' });
    expectError(response, 400, /readyToExpense must be true or false/);
  });
});
