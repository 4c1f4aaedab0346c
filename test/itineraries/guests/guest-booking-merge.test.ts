/**
 * Guest bookings and the merge engine (docs/MERGE.md, "Guest bookings"): a guest booking never
 * joins the traveller's own trip, an own booking never joins a guest trip, and bookings for the
 * same guest, however spelled, merge as usual. The traveller is Chris Miller (test-app.ts).
 */
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../helpers/app-fixture.js';
import { bookingXml, placeBooking, tripLocators } from '../../helpers/booking-requests.js';
import type { TestContext } from '../../helpers/test-app.js';
import { createTrip, listedTripIds, tripXml } from '../../helpers/trip-requests.js';

let context: TestContext;
let token: string;

useTestApp((given) => {
  ({ context, token } = given);
});

/** A one-car booking over days `from`..`to` of 2031 naming these passengers (none: no list). */
function booking(locator: string, from: number, to: number, ...names: [string, string][]) {
  const people = names
    .map(
      ([first, last]) =>
        `<Passenger><NameFirst>${first}</NameFirst><NameLast>${last}</NameLast></Passenger>`,
    )
    .join('');
  const xml = bookingXml({ locator, from, to });
  return names.length > 0
    ? xml.replace('<Segments>', `<Passengers>${people}</Passengers><Segments>`)
    : xml;
}

async function post(xml: string, query: Record<string, string> = {}): Promise<string> {
  return (await placeBooking(context.app, token, xml, query)).tripId;
}

/** The trips listed over days `from`..`to` of 2031, sorted. */
async function listed(from: number, to: number, withGuests: boolean): Promise<string[]> {
  const date = (day: number) => new Date(Date.UTC(2031, 0, day)).toISOString().slice(0, 10);
  const query: Record<string, string> = { startDate: date(from), endDate: date(to) };
  if (withGuests) query.includeGuestBookings = 'true';
  return (await listedTripIds(context.app, token, query)).sort();
}

describe('POST /api/travel/booking/v1.1 with guest bookings', () => {
  it('keeps guest bookings out of the own trip, and merges those of one guest', async () => {
    const own = await post(booking('OWN1', 10, 12, ['Chris', 'Miller']));
    const ann = await post(booking('ANN1', 11, 13, ['Ann', 'Lee']));
    expect(ann).not.toBe(own);
    // The same guest as a GDS spells her: her overlapping booking joins her trip.
    expect(await post(booking('ANN2', 12, 14, ['ANN MRS', 'LEE']))).toBe(ann);
    // Another guest overlapping both: a trip of his own.
    const bo = await post(booking('BO1', 11, 12, ['Bo', 'Li']));
    expect([own, ann]).not.toContain(bo);
    // The traveller's own bookings (named or not) join the own trip, never a guest trip.
    expect(await post(booking('OWN2', 12, 13))).toBe(own);
    expect(await post(booking('OWN3', 13, 14, ['CHRIS A', 'MILLER']))).toBe(own);

    expect(await tripLocators(context.app, token, own)).toEqual(['OWN1', 'OWN2', 'OWN3']);
    expect(await tripLocators(context.app, token, ann)).toEqual(['ANN1', 'ANN2']);
    expect(await listed(9, 15, false)).toEqual([own]);
    expect(await listed(9, 15, true)).toEqual([own, ann, bo].sort());
  });

  it('keeps a guest booking out of a trip posted as the traveller’s own', async () => {
    const posted = await createTrip(
      context.app,
      token,
      tripXml({
        name: 'Posted',
        bookings: [
          {
            locator: 'POSTED1',
            segments: [{ start: '2031-02-01T10:00:00', end: '2031-02-06T12:00:00' }],
          },
        ],
      }),
    );
    const guest = await post(booking('GUEST1', 33, 34, ['Ann', 'Lee']));
    expect(guest).not.toBe(posted.tripId);
    expect(await post(booking('OWN4', 34, 35))).toBe(posted.tripId);
  });

  it('joins the guest trips of one guest that a booking bridges', async () => {
    const first = await post(booking('BRIDGE1', 60, 61, ['Ann', 'Lee']));
    const second = await post(booking('BRIDGE2', 64, 65, ['Ann', 'Lee']));
    expect(second).not.toBe(first);
    const own = await post(booking('BRIDGE3', 61, 64, ['Chris', 'Miller']));
    expect([first, second]).not.toContain(own);
    const bridge = await post(booking('BRIDGE4', 61, 64, ['ann', 'lee']));
    expect(bridge).toBe(first);
    expect(await tripLocators(context.app, token, first)).toEqual([
      'BRIDGE1',
      'BRIDGE2',
      'BRIDGE4',
    ]);
    expect(await listed(59, 66, true)).toEqual([first, own].sort());
  });

  it('puts a guest booking where tripId says; the trip then holds an own booking: listed', async () => {
    const own = await post(booking('TRIPID1', 90, 91, ['Chris', 'Miller']));
    expect(await post(booking('TRIPID2', 95, 96, ['Ann', 'Lee']), { tripId: own })).toBe(own);
    expect(await listed(89, 97, false)).toEqual([own]);
  });

  it('makes a guest trip of a re-posted booking whose passengers became a guest, in place', async () => {
    const trip = await post(booking('REPOST1', 120, 121, ['Chris', 'Miller']));
    expect(await listed(119, 122, false)).toEqual([trip]);
    expect(await post(booking('REPOST1', 120, 121, ['Ann', 'Lee']))).toBe(trip);
    expect(await listed(119, 122, false)).toEqual([]);
    expect(await listed(119, 122, true)).toEqual([trip]);
  });
});
