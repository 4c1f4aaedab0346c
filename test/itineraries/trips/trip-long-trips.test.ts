/**
 * Window queries walk the trip index from the window's start less the company's longest trip
 * (companies.trip_span_bound). A trip longer than any before it, made by a create, an update
 * or a booking, must widen that bound at once: else a window touching only its middle would
 * miss it, in lists and in the merge engine's overlap look-up.
 */
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../helpers/app-fixture.js';
import { bookingXml, day2031, placeBooking } from '../../helpers/booking-requests.js';
import type { TestContext } from '../../helpers/test-app.js';
import {
  createTrip,
  dateOnly,
  listedTripIds,
  postTrip,
  simpleTrip,
  tripXml,
} from '../../helpers/trip-requests.js';

let context: TestContext;
let token: string;

useTestApp((given) => {
  ({ context, token } = given);
});

const window = (from: number, to: number) => ({
  startDate: dateOnly(from),
  endDate: dateOnly(to),
});

describe('a trip longer than every trip before it', () => {
  it('is listed in a window that touches only its middle', async () => {
    const short = await createTrip(context.app, token, simpleTrip('short', -3, -1));
    const long = await createTrip(context.app, token, simpleTrip('long', -300, 10));
    expect(await listedTripIds(context.app, token, window(-150, -149))).toEqual([long.tripId]);
    expect((await listedTripIds(context.app, token, window(-2, -2))).sort()).toEqual(
      [short.tripId, long.tripId].sort(),
    );
    // Paged, the total counts it too.
    const paged = await context.app.inject({
      method: 'GET',
      url: `/api/travel/trip/v1.1?startDate=${dateOnly(-150)}&endDate=${dateOnly(-149)}&includeMetadata=true&ItemsPerPage=1&Page=1`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(paged.body).toContain('<TotalItems>1</TotalItems>');
  });

  it('is listed once an update made it that long', async () => {
    const trip = await createTrip(context.app, token, simpleTrip('grows', -900, -899));
    expect(await listedTripIds(context.app, token, window(-700, -700))).toEqual([]);
    const updated = await postTrip(context.app, token, simpleTrip('grows', -900, -1), {
      tripId: trip.tripId,
    });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(await listedTripIds(context.app, token, window(-700, -700))).toEqual([trip.tripId]);
  });

  it('takes a booking that overlaps only its middle', async () => {
    const long = await createTrip(
      context.app,
      token,
      tripXml({
        name: 'Sabbatical',
        bookings: [
          {
            locator: 'SABB1',
            segments: [{ type: 'Hotel', start: day2031(1), end: day2031(1200) }],
          },
        ],
      }),
    );
    const booking = await placeBooking(
      context.app,
      token,
      bookingXml({ locator: 'MIDDLE1', from: 600, to: 601 }),
    );
    expect(booking.tripId).toBe(long.tripId);
    // A booking made trip as long grows the bound too: a later booking inside it joins it.
    const made = await placeBooking(
      context.app,
      token,
      bookingXml({ locator: 'LONGCAR', from: 3000, to: 5000 }),
    );
    const inside = await placeBooking(
      context.app,
      token,
      bookingXml({ locator: 'INSIDE1', from: 4000, to: 4001 }),
    );
    expect(inside.tripId).toBe(made.tripId);
  });

  it('is listed when a writer outside the API made it the longest: the database keeps the bound', async () => {
    // As a later migration or another tool would: the trips row alone, no repository code. Its
    // new span, 2,501 days, is longer than any trip before it in this file.
    const trip = await createTrip(context.app, token, simpleTrip('moved', -2000, -1999));
    expect(await listedTripIds(context.app, token, window(-2201, -2201))).toEqual([]);
    await context.database.db
      .updateTable('trips')
      .set({ start_at: Date.now() - 4500 * 86_400_000 })
      .where('id', '=', trip.tripId)
      .execute();
    // Another window than above: kept list pages know nothing of a write that bypassed the API.
    expect(await listedTripIds(context.app, token, window(-2200, -2200))).toEqual([trip.tripId]);
  });
});
