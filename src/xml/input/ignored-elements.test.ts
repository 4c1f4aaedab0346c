import { describe, expect, it } from 'vitest';
import { TRIP_NAMESPACE } from '../schema.js';
import { readXmlDocument } from '../xml-reader.js';

const NS = `xmlns="${TRIP_NAMESPACE}"`;

describe('the undefined elements the reader skips', () => {
  it('are named by their own path only, once, without positions', () => {
    const xml =
      `<Itinerary ${NS}><TripName>T</TripName><Stray><Inner>1</Inner></Stray><Bookings>` +
      '<Booking><RecordLocator>A</RecordLocator><BookingSource>S</BookingSource><Bogus/></Booking>' +
      '<Booking><RecordLocator>B</RecordLocator><BookingSource>S</BookingSource><Bogus/></Booking>' +
      '</Bookings></Itinerary>';
    const read = readXmlDocument(xml, 'Itinerary');
    expect(read.ignored).toEqual(['Stray', 'Bookings/Booking/Bogus']);
    expect(read.moreIgnored).toBe(0);
  });

  it('leave out foreign-namespace, xs:any and nil elements', () => {
    const xml =
      `<Itinerary ${NS} xmlns:x="urn:x" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
      '<TripName>T</TripName><x:Extra><Anything/></x:Extra><Description xsi:nil="true"/>' +
      '</Itinerary>';
    expect(readXmlDocument(xml, 'Itinerary').ignored).toEqual([]);
  });

  it('are counted beyond 200 distinct paths', () => {
    const strays = Array.from({ length: 205 }, (_, i) => `<Stray${i}/>`).join('');
    const read = readXmlDocument(`<Itinerary ${NS}>${strays}</Itinerary>`, 'Itinerary');
    expect(read.ignored).toHaveLength(200);
    expect(read.moreIgnored).toBe(5);
  });
});
