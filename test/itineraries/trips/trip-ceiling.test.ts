/**
 * The ceiling on a trip (issue 16, docs/MERGE.md "The ceiling on a trip"): merges and trip POSTs
 * stop at MAX_TRIP_BOOKINGS bookings, MAX_TRIP_SEGMENTS segments, and a rendering that fits the
 * body and element limits, so that a stored trip can always be read and posted back whole. A
 * write past the ceiling is 422 `trip_too_large` naming the bound and the value, and writes
 * nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../helpers/app-fixture.js';
import { bookingXml, placeBooking, postBooking } from '../../helpers/booking-requests.js';
import type { TestContext } from '../../helpers/test-app.js';
import { expectError, getTrip, postTrip, tripXml } from '../../helpers/trip-requests.js';
import { parseXml, text } from '../../helpers/xml-tree.js';

let context: TestContext;
let token: string;

const MAX_BOOKINGS = 5;
const MAX_SEGMENTS = 8;
useTestApp(
  {
    config: {
      maxTripBookings: MAX_BOOKINGS,
      maxTripSegments: MAX_SEGMENTS,
      bodyLimitBytes: 16_384,
    },
  },
  (given) => {
    ({ context, token } = given);
  },
);

/** Rows of every table a trip write touches. */
async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['trips', 'bookings', 'trip_changes', 'notifications'] as const) {
    const row = await context.database.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

/** A booking overlapping the others (days 100 to 103 of 2031), so that it merges into their trip. */
const merging = (locator: string, extra = '') =>
  bookingXml({ locator, from: 100 + (locator.length % 3), to: 103, extra });

describe('the booking count ceiling', () => {
  let tripId: string;
  beforeAll(async () => {
    for (let i = 1; i <= MAX_BOOKINGS; i++) {
      const placed = await placeBooking(context.app, token, merging(`FULL${i}`));
      tripId ??= placed.tripId;
      expect(placed.tripId).toBe(tripId);
    }
  });

  it('a full trip is read and posted back whole', async () => {
    const read = await getTrip(context.app, token, tripId);
    expect(read.statusCode).toBe(200);
    const posted = await postTrip(context.app, token, read.body, { tripId });
    expect(posted.statusCode, posted.body).toBe(200);
    expect(text(parseXml(posted.body), 'TripId')).toBe(tripId);
  });

  it('one more booking merged into it is refused with 422, naming the limit, and nothing is written', async () => {
    const before = await rowCounts();
    const tripBefore = (await getTrip(context.app, token, tripId)).body;
    const response = await postBooking(context.app, token, merging('FULL6'));
    const { message } = expectError(response, 422);
    expect(message).toContain(`would hold ${MAX_BOOKINGS + 1} bookings`);
    expect(message).toContain(`at most ${MAX_BOOKINGS} (MAX_TRIP_BOOKINGS)`);
    expect(parseXml(response.body).children.find((c) => c.name === 'Code')?.text).toBe(
      'trip_too_large',
    );
    expect(await rowCounts()).toEqual(before);
    expect((await getTrip(context.app, token, tripId)).body).toBe(tripBefore);
  });

  it('a booking already in the full trip can still be updated', async () => {
    const response = await postBooking(context.app, token, merging('FULL2', '<Vendor>ZE</Vendor>'));
    expect(response.statusCode, response.body).toBe(200);
  });

  it('a trip POST with too many bookings is refused and nothing is written', async () => {
    const before = await rowCounts();
    const bookings = Array.from({ length: MAX_BOOKINGS + 1 }, (_, i) => ({
      locator: `MANY${i}`,
      segments: [{ start: '2031-05-01T10:00:00' }],
    }));
    expectError(
      await postTrip(context.app, token, tripXml({ bookings })),
      422,
      /MAX_TRIP_BOOKINGS/,
    );
    expect(await rowCounts()).toEqual(before);
  });
});

describe('the segment count ceiling', () => {
  it('refuses a trip POST past MAX_TRIP_SEGMENTS, naming it', async () => {
    const before = await rowCounts();
    const segments = Array.from({ length: MAX_SEGMENTS + 1 }, (_, i) => ({
      start: `2031-06-${String(i + 1).padStart(2, '0')}T10:00:00`,
    }));
    const response = await postTrip(
      context.app,
      token,
      tripXml({ bookings: [{ locator: 'SEGS1', segments }] }),
    );
    expectError(
      response,
      422,
      new RegExp(`would hold ${MAX_SEGMENTS + 1} segments.*MAX_TRIP_SEGMENTS`),
    );
    expect(await rowCounts()).toEqual(before);
    const exact = segments.slice(0, MAX_SEGMENTS);
    const ok = await postTrip(
      context.app,
      token,
      tripXml({ bookings: [{ locator: 'SEGS2', segments: exact }] }),
    );
    expect(ok.statusCode, ok.body).toBe(200);
  });
});

describe('the size ceiling', () => {
  it('refuses a merge whose trip would no longer fit the body limit, and a full trip posts back', async () => {
    // Each booking carries ~3 KB of text: three or four fit the 16 KB limit, not five.
    const long = (n: number) => `<Vendor>V${n}</Vendor><Notes>${'n'.repeat(3000)}</Notes>`;
    let tripId: string | undefined;
    let refused: ReturnType<typeof expectError> | undefined;
    for (let i = 1; i <= MAX_BOOKINGS && !refused; i++) {
      const before = await rowCounts();
      const response = await postBooking(
        context.app,
        token,
        bookingXml({ locator: `BIG${i}`, from: 200, to: 203, type: 'Hotel', extra: long(i) }),
      );
      if (response.statusCode === 200) {
        tripId ??= text(parseXml(response.body), 'TripId');
        continue;
      }
      refused = expectError(response, 422, /bytes of XML.*BODY_LIMIT_BYTES/);
      expect(await rowCounts()).toEqual(before);
    }
    expect(refused, 'the size ceiling was never met').toBeDefined();
    const read = await getTrip(context.app, token, tripId ?? '');
    expect(Buffer.byteLength(read.body)).toBeLessThanOrEqual(16_384);
    const posted = await postTrip(context.app, token, read.body, { tripId: tripId ?? '' });
    expect(posted.statusCode, posted.body).toBe(200);
  });
});
