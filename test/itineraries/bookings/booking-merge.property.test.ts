/**
 * Property tests of the merge rules (fast-check), through the API: whatever the order in which
 * a set of bookings arrives, the trips are the groups of bookings linked by overlapping dates;
 * re-posting a booking changes nothing; cancelling then re-posting a booking restores it.
 */

import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../helpers/app-fixture.js';
import {
  type BookingSpecInput,
  bookingXml,
  cancelBooking,
  day2031,
  placeBooking,
} from '../../helpers/booking-requests.js';
import type { Tenant, TestContext } from '../../helpers/test-app.js';
import { getTrip, listTrips } from '../../helpers/trip-requests.js';
import { findAll, parseXml, text } from '../../helpers/xml-tree.js';

let context: TestContext;
let tenant: Tenant;
let admin: string;
const travellers: string[] = [];

// One administrator acts for many travellers (one per generated case): a sign-in per case
// would spend most of the run hashing passwords.
useTestApp({ user: 'admin' }, (given) => {
  ({ context, tenant, token: admin } = given);
});
beforeAll(async () => {
  // Travellers who never sign in need no password (and so no costly hashing).
  const { db } = context.database;
  const company = await db
    .selectFrom('companies')
    .select('id')
    .where('name', '=', tenant.company)
    .executeTakeFirstOrThrow();
  const users = Array.from({ length: 400 }, (_, i) => ({
    id: randomUUID(),
    company_id: company.id,
    login_id: `prop-${i}-${tenant.traveller.loginId}`,
    roles: '[]',
    active: 1,
    created_at: Date.now(),
  }));
  await db.insertInto('users').values(users).execute();
  travellers.push(...users.map((u) => u.login_id));
}, 60_000);

const bookingSet = fc
  .array(
    fc.record({
      from: fc.integer({ min: 1, max: 14 }),
      length: fc.integer({ min: 0, max: 3 }),
      type: fc.constantFrom('Car' as const, 'Hotel' as const),
    }),
    { minLength: 1, maxLength: 7 },
  )
  .map((items) =>
    items.map(
      (item, i): BookingSpecInput => ({
        locator: `P${i}`,
        from: item.from,
        to: item.from + item.length,
        type: item.type,
      }),
    ),
  );

/** The expected trips: connected groups of bookings whose [start, end] overlap. */
function expectedGroups(specs: readonly BookingSpecInput[]): string[] {
  const span = (s: BookingSpecInput) => [
    Date.parse(`${day2031(s.from)}Z`),
    Date.parse(`${day2031(s.to, 12)}Z`),
  ];
  const parent = specs.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : find(parent[i] as number));
  specs.forEach((a, i) => {
    specs.forEach((b, j) => {
      const [as, ae] = span(a) as [number, number];
      const [bs, be] = span(b) as [number, number];
      if (as <= be && bs <= ae) parent[find(i)] = find(j);
    });
  });
  const groups = new Map<number, string[]>();
  specs.forEach((s, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), s.locator]);
  });
  return [...groups.values()].map((g) => g.sort().join(',')).sort();
}

/** The `userid_*` parameters of a traveller no case has used yet. */
function newTraveller(): Record<string, string> {
  const loginId = travellers.shift();
  if (!loginId) throw new Error('out of test travellers');
  return { userid_type: 'login_id', userid_value: loginId };
}

/** The traveller's trips as groups of record locators, and each trip's XML without times. */
async function tripsOf(
  traveller: Record<string, string>,
): Promise<{ groups: string[]; documents: string[] }> {
  const listed = await listTrips(context.app, admin, {
    ...traveller,
    createdAfterDate: '2000-01-01',
    includeCanceledTrips: 'true',
  });
  const ids = findAll(parseXml(listed.body), 'ItineraryInfo').map((i) => text(i, 'TripId') ?? '');
  const groups: string[] = [];
  const documents: string[] = [];
  for (const id of ids) {
    const body = (await getTrip(context.app, admin, id, traveller)).body;
    groups.push(
      findAll(parseXml(body), 'Bookings/Booking')
        .map((b) => text(b, 'RecordLocator') ?? '')
        .sort()
        .join(','),
    );
    documents.push(body.replace(/<DateModifiedUtc>[^<]*<\/DateModifiedUtc>/g, ''));
  }
  return { groups: groups.sort(), documents: documents.sort() };
}

async function postAll(traveller: Record<string, string>, specs: readonly BookingSpecInput[]) {
  for (const spec of specs) await placeBooking(context.app, admin, bookingXml(spec), traveller);
}

describe('merge rules (property)', () => {
  it('give the same trips whatever the order of posting', async () => {
    await fc.assert(
      fc.asyncProperty(
        bookingSet.chain((specs) =>
          fc.tuple(fc.constant(specs), fc.shuffledSubarray(specs, { minLength: specs.length })),
        ),
        async ([specs, shuffled]) => {
          const expected = expectedGroups(specs);
          const inOrder = newTraveller();
          await postAll(inOrder, specs);
          expect((await tripsOf(inOrder)).groups).toEqual(expected);
          const reordered = newTraveller();
          await postAll(reordered, shuffled);
          expect((await tripsOf(reordered)).groups).toEqual(expected);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('make re-posting a booking change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(bookingSet, fc.nat(), async (specs, pick) => {
        const traveller = newTraveller();
        await postAll(traveller, specs);
        const before = await tripsOf(traveller);
        await postAll(traveller, [specs[pick % specs.length] as BookingSpecInput]);
        expect(await tripsOf(traveller)).toEqual(before);
      }),
      { numRuns: 15 },
    );
  });

  it('restore a cancelled booking when it is posted again', async () => {
    await fc.assert(
      fc.asyncProperty(bookingSet, fc.nat(), async (specs, pick) => {
        const traveller = newTraveller();
        await postAll(traveller, specs);
        const before = await tripsOf(traveller);
        const chosen = specs[pick % specs.length] as BookingSpecInput;
        const cancelled = await cancelBooking(context.app, admin, {
          ...traveller,
          bookingSource: 'Alamo',
          confirmationNumber: chosen.locator,
        });
        expect(cancelled.statusCode, cancelled.body).toBe(200);
        await postAll(traveller, [chosen]);
        expect(await tripsOf(traveller)).toEqual(before);
      }),
      { numRuns: 15 },
    );
  });
});
