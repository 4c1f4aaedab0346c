/** Latest Bookings' rule: the newest booking with flights, and the newest with a hotel. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { list } from '../../../xml/document.js';
import { parseXmlDocument } from '../../../xml/xml-reader.js';
import { latestBookingsOf } from './latest-bookings.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const bookingsOf = (file: string) =>
  list(parseXmlDocument(readFileSync(path.join(ROOT, file)), 'Itinerary'), 'Bookings').map(
    (item) => item.node,
  );

describe('latestBookingsOf', () => {
  it('answers the flights and hotel of the TMC guide sample', () => {
    const [booking] = bookingsOf('reference/concur/samples/tmc-guide-post-trip-request.xml');
    const latest = latestBookingsOf([{ document: booking ?? {}, modifiedAt: 1 }]);
    expect(latest.airlines).toEqual([
      { code: 'AZ', bookingClass: 'S' },
      { code: 'AZ', bookingClass: 'S' },
    ]);
    expect(latest.hotel).toEqual({ location: 'ROM', starRating: 0 });
  });

  it('takes the most recently written booking holding flights', () => {
    const [oneWay] = bookingsOf('test/fixtures/insights/one-way-trip.xml');
    const [guide] = bookingsOf('reference/concur/samples/tmc-guide-post-trip-request.xml');
    const latest = latestBookingsOf([
      { document: guide ?? {}, modifiedAt: 1 },
      { document: oneWay ?? {}, modifiedAt: 2 },
    ]);
    expect(latest.airlines.map((a) => a.code)).toEqual(['AS', 'UA']);
    expect(latest.hotel).toEqual({ location: 'SFO', starRating: 0 });
  });

  it('answers no airlines and no hotel without bookings', () => {
    expect(latestBookingsOf([])).toEqual({ airlines: [] });
  });
});
