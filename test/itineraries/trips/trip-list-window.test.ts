/**
 * The edges of the list's default window (SPEC §2.1): with no date filter, trips still ongoing
 * on or after today − 30 days and starting on or before today + 12 months, whole days inclusive.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../helpers/app-fixture.js';
import type { Tenant, TestContext } from '../../helpers/test-app.js';
import { createTrip, dateOnly, listedTripIds, simpleTrip } from '../../helpers/trip-requests.js';

let context: TestContext;
let tenant: Tenant;
let token: string;
const trips: Record<string, string> = {};

/** Days from today to the same date twelve calendar months ahead. */
function daysToTwelveMonths(): number {
  const today = Date.parse(`${dateOnly(0)}T00:00:00Z`);
  const ahead = new Date(today);
  ahead.setUTCMonth(ahead.getUTCMonth() + 12);
  return Math.round((ahead.getTime() - today) / 86_400_000);
}

useTestApp((given) => {
  ({ context, tenant, token } = given);
});
beforeAll(async () => {
  const year = daysToTwelveMonths();
  const plan: Record<string, [number, number]> = {
    endsOnDayMinus30: [-32, -30],
    endsOnDayMinus31: [-33, -31],
    startsOnDayPlus12Months: [year, year + 2],
    startsTheDayAfter: [year + 1, year + 2],
  };
  for (const [name, [from, to]] of Object.entries(plan)) {
    trips[name] = (await createTrip(context.app, token, simpleTrip(name, from, to))).tripId;
  }
});

describe('GET /api/travel/trip/v1.1 default window', () => {
  it('returns 200 with the trips touching the first and last day of the window only', async () => {
    const listed = await listedTripIds(context.app, token);
    expect(listed.sort()).toEqual([trips.endsOnDayMinus30, trips.startsOnDayPlus12Months].sort());
  });

  it('returns 200 with the default window also when only paging, bookingType or userid_* is sent', async () => {
    const expected = [trips.endsOnDayMinus30, trips.startsOnDayPlus12Months].sort();
    const queries: Record<string, string>[] = [
      { includeMetadata: 'true', ItemsPerPage: '10', Page: '1' },
      { bookingType: 'Car' },
      { userid_type: 'login', userid_value: tenant.traveller.loginId },
    ];
    for (const query of queries) {
      expect(
        (await listedTripIds(context.app, token, query)).sort(),
        JSON.stringify(query),
      ).toEqual(expected);
    }
  });

  it('returns 200 with every trip once a date filter lifts the default window', async () => {
    const all = Object.values(trips).sort();
    expect((await listedTripIds(context.app, token, { startDate: dateOnly(-400) })).sort()).toEqual(
      all,
    );
    expect(
      (await listedTripIds(context.app, token, { createdAfterDate: dateOnly(-1) })).sort(),
    ).toEqual(all);
  });
});
