/**
 * What cancelling does to stored data, and that a trip posted with status Canceled still shows
 * its segments (only the cancel endpoint cancels segments).
 */
import { describe, expect, it } from 'vitest';
import { readJson } from '../../../src/db/database.js';
import { CANCELLED_SEGMENTS } from '../../../src/modules/itineraries/rules/cancellation.js';
import type { XmlNode } from '../../../src/xml/document.js';
import { useTestApp } from '../../helpers/app-fixture.js';
import type { TestContext } from '../../helpers/test-app.js';
import {
  cancelTrip,
  createTrip,
  dayAt,
  getTrip,
  postTrip,
  tripXml,
} from '../../helpers/trip-requests.js';
import { findAll, parseXml, text } from '../../helpers/xml-tree.js';

let context: TestContext;
let token: string;

useTestApp((given) => {
  ({ context, token } = given);
});

const body = (status?: string) =>
  tripXml({
    name: 'Cancel storage',
    extra: status ? `<TripStatus>${status}</TripStatus>` : '',
    bookings: [
      { locator: 'CNL1', segments: [{ type: 'Air', start: dayAt(3), end: dayAt(3, 14) }] },
      { locator: 'CNL2', segments: [{ type: 'Hotel', start: dayAt(3), end: dayAt(5) }] },
    ],
  });

describe('POST /api/travel/trip/v1.1/cancel', () => {
  it('keeps the cancelled segments stored aside while answering empty Segments', async () => {
    const { tripId } = await createTrip(context.app, token, body());
    const response = await cancelTrip(context.app, token, tripId);
    expect(response.statusCode).toBe(200);
    const doc = parseXml(response.body);
    expect(findAll(doc, 'Bookings/Booking')).toHaveLength(2);
    expect(findAll(doc, 'Bookings/Booking/Segments')).toHaveLength(2);
    expect(findAll(doc, 'Bookings/Booking/Segments/Air')).toHaveLength(0);
    const rows = await context.database.db
      .selectFrom('bookings')
      .select(['record_locator', 'document'])
      .where('trip_id', '=', tripId)
      .orderBy('position')
      .execute();
    const kept = rows.map((r) =>
      (readJson<XmlNode>(r.document)[CANCELLED_SEGMENTS] as { element: string }[]).map(
        (s) => s.element,
      ),
    );
    expect(kept).toEqual([['Air'], ['Hotel']]);
  });

  it('lets an update bring a cancelled trip back with the segments it re-sends', async () => {
    const { tripId } = await createTrip(context.app, token, body());
    await cancelTrip(context.app, token, tripId);
    const update = await postTrip(context.app, token, body('0'), { tripId });
    expect(update.statusCode).toBe(200);
    const doc = parseXml((await getTrip(context.app, token, tripId)).body);
    expect(text(doc, 'TripStatus')).toBe('0');
    expect(findAll(doc, 'Bookings/Booking/Segments/Air')).toHaveLength(1);
  });
});

describe('POST /api/travel/trip/v1.1 with TripStatus 2', () => {
  it('stores and shows the segments that were posted', async () => {
    const { tripId, doc } = await createTrip(context.app, token, body('2'));
    expect(text(doc, 'TripStatus')).toBe('2');
    expect(findAll(doc, 'Bookings/Booking/Segments/Hotel')).toHaveLength(1);
    const read = parseXml((await getTrip(context.app, token, tripId)).body);
    expect(findAll(read, 'Bookings/Booking/Segments/Air')).toHaveLength(1);
  });
});
