import { describe, expect, it } from 'vitest';
import type { XmlNode } from '../../../xml/document.js';
import { writeXmlContent } from '../../../xml/output/xml-output-writer.js';
import { CANCELLED_SEGMENTS } from '../../itineraries/rules/cancellation.js';
import type { TripView } from '../../itineraries/rules/trip-view.js';
import { presentContext, renderNotification } from '../notification.presenter.js';
import { describeChanges, MAX_CONTEXT_ENTRIES } from './notification-changes.js';

const owner = { id: 'u', login_id: 'u@example.com', company_id: 'c' };
const FULL = { kind: 'full' } as const;
const SUPPLIER = { kind: 'supplier', bookingSource: 'SkyAir' } as const;

function trip(bookings: XmlNode[], document: XmlNode = { TripName: 'T' }): TripView {
  return { id: 'trip1', status: 0, document, bookings, owner };
}
const air = (conf: string, start: string, extra: XmlNode = {}) => ({
  element: 'Air',
  node: { ConfirmationNumber: conf, StartDateLocal: start, Vendor: 'UA', ...extra },
});
const hotel = (start: string, extra: XmlNode = {}) => ({
  element: 'Hotel',
  node: { StartDateLocal: start, ...extra },
});
const booking = (source: string, locator: string, segments: XmlNode['Segments'], extra = {}) => ({
  BookingSource: source,
  RecordLocator: locator,
  Segments: segments,
  ...extra,
});

describe('describeChanges', () => {
  it('lists every booking and segment of a new trip as added', () => {
    const after = trip([booking('GDS', 'ABC', [air('C1', '2031-01-01T10:00:00')])]);
    expect(describeChanges(undefined, after, FULL)).toEqual({
      bookings: [
        {
          change: 'added',
          source: 'GDS',
          recordLocator: 'ABC',
          segments: [
            {
              change: 'added',
              type: 'Air',
              confirmationNumber: 'C1',
              start: '2031-01-01T10:00:00',
            },
          ],
        },
      ],
      truncated: false,
    });
  });

  it('tells added, changed, removed and unchanged segments and bookings apart', () => {
    const before = trip(
      [
        booking('GDS', 'ABC', [air('C1', '2031-01-01T10:00:00'), hotel('2031-01-01T15:00:00')]),
        booking('GDS', 'GONE', [hotel('2031-02-01T15:00:00')]),
        booking('Same', 'S1', [hotel('2031-03-01T15:00:00')], { DateModifiedUtc: 'old' }),
      ],
      { TripName: 'Old name', Comments: 'c' },
    );
    const after = trip(
      [
        booking('GDS', 'ABC', [
          air('C1', '2031-01-01T10:00:00', { FlightNumber: '9' }),
          { element: 'Car', node: { StartDateLocal: '2031-01-02T09:00:00' } },
        ]),
        // Only the modification time differs: not a change.
        booking('Same', 'S1', [hotel('2031-03-01T15:00:00')], { DateModifiedUtc: 'new' }),
        booking('New', 'N1', []),
      ],
      { TripName: 'New name', Comments: 'c', DateModifiedUtc: 'now' },
    );
    const changes = describeChanges(before, after, FULL);
    expect(changes.trip).toEqual({ change: 'changed', fields: ['TripName'] });
    expect(changes.bookings).toEqual([
      {
        change: 'changed',
        source: 'GDS',
        recordLocator: 'ABC',
        segments: [
          {
            change: 'changed',
            type: 'Air',
            confirmationNumber: 'C1',
            start: '2031-01-01T10:00:00',
          },
          { change: 'added', type: 'Car', start: '2031-01-02T09:00:00' },
          { change: 'removed', type: 'Hotel', start: '2031-01-01T15:00:00' },
        ],
      },
      { change: 'added', source: 'New', recordLocator: 'N1', segments: [] },
      {
        change: 'removed',
        source: 'GDS',
        recordLocator: 'GONE',
        segments: [{ change: 'removed', type: 'Hotel', start: '2031-02-01T15:00:00' }],
      },
    ]);
  });

  it('reports segments moved aside by a cancel as cancelled, and the booking too', () => {
    const segments = [air('C1', '2031-01-01T10:00:00'), air('C1', '2031-01-05T10:00:00')];
    const before = trip([booking('GDS', 'ABC', segments)]);
    const cancelledAll = trip([
      { BookingSource: 'GDS', RecordLocator: 'ABC', [CANCELLED_SEGMENTS]: segments },
    ]);
    const all = describeChanges(before, cancelledAll, FULL).bookings[0];
    expect(all?.change).toBe('cancelled');
    expect(all?.segments.map((s) => [s.change, s.start])).toEqual([
      ['cancelled', '2031-01-01T10:00:00'],
      ['cancelled', '2031-01-05T10:00:00'],
    ]);
    // The return flight alone (same confirmation number): matched by its start, not its place.
    const returnOnly = trip([
      booking('GDS', 'ABC', [segments[0] as never], { [CANCELLED_SEGMENTS]: [segments[1]] }),
    ]);
    const one = describeChanges(before, returnOnly, FULL).bookings[0];
    expect(one?.change).toBe('changed');
    expect(one?.segments).toEqual([
      { change: 'cancelled', type: 'Air', confirmationNumber: 'C1', start: '2031-01-05T10:00:00' },
    ]);
  });

  it('shows a supplier only what its view shows', () => {
    const before = trip([
      booking('GDS', 'SECRET', [
        air('GDSCONF', '2031-01-01T10:00:00'),
        hotel('2031-01-01T15:00:00', { TotalRate: '100' }),
        { element: 'Rail', node: { StartDateLocal: '2031-01-02T10:00:00' } },
      ]),
      booking('SkyAir', 'MINE', [air('OWN1', '2031-01-03T08:00:00')]),
    ]);
    const after = trip([
      booking('GDS', 'SECRET', [
        air('GDSCONF', '2031-01-01T10:00:00'),
        // An amount changed (hidden), the rail segment went (hidden type).
        hotel('2031-01-01T15:00:00', { TotalRate: '200' }),
      ]),
      booking('SkyAir', 'MINE', [air('OWN1', '2031-01-03T09:00:00')]),
    ]);
    const changes = describeChanges(before, after, SUPPLIER);
    expect(changes.bookings).toEqual([
      {
        change: 'changed',
        source: 'SkyAir',
        recordLocator: 'MINE',
        segments: [
          {
            change: 'changed',
            type: 'Air',
            confirmationNumber: 'OWN1',
            start: '2031-01-03T09:00:00',
          },
        ],
      },
    ]);
    // A new booking of another source: its source and visible segment, no locator or number.
    const added = describeChanges(undefined, after, SUPPLIER).bookings[0];
    expect(added).toEqual({
      change: 'added',
      source: 'GDS',
      segments: [
        { change: 'added', type: 'Air', start: '2031-01-01T00:00:00' },
        { change: 'added', type: 'Hotel', start: '2031-01-01T15:00:00' },
      ],
    });
    expect(JSON.stringify(describeChanges(before, after, SUPPLIER))).not.toMatch(/SECRET|GDSCONF/);
  });

  it('describes a deleted trip, merged into another', () => {
    const before = trip([booking('GDS', 'ABC', [])]);
    expect(describeChanges(before, undefined, FULL, { mergedInto: 'other' })).toEqual({
      trip: { change: 'merged', mergedInto: 'other' },
      bookings: [{ change: 'removed', source: 'GDS', recordLocator: 'ABC', segments: [] }],
      truncated: false,
    });
  });

  it(`keeps at most ${MAX_CONTEXT_ENTRIES} entries`, () => {
    const many = Array.from({ length: 40 }, (_, i) =>
      booking('GDS', `L${i}`, [hotel(`2031-01-01T${String(i % 24).padStart(2, '0')}:00:00`)]),
    );
    const changes = describeChanges(undefined, trip(many), FULL);
    const entries = changes.bookings.reduce((n, b) => n + 1 + b.segments.length, 0);
    expect(entries).toBe(MAX_CONTEXT_ENTRIES);
    expect(changes.truncated).toBe(true);
    expect(writeXmlContent([presentContext(changes)])).toContain('<Changes truncated="true">');
  });
});

describe('renderNotification', () => {
  it('writes the published element order, without namespace, and escapes the Context', () => {
    const body = renderNotification({
      tripId: 'abc',
      eventType: 'UPDATE',
      eventAt: Date.UTC(2031, 0, 2, 3, 4, 5, 678),
      baseUrl: 'https://itinera.example',
      changes: {
        bookings: [{ change: 'added', source: 'A&"<B>', recordLocator: 'R', segments: [] }],
        truncated: false,
      },
    });
    expect(body).toBe(
      '<?xml version="1.0" encoding="utf-8"?><Notification><ObjectType>ITINERARY</ObjectType>' +
        '<ObjectURI>https://itinera.example/api/travel/trip/v1.1/abc</ObjectURI>' +
        '<EventDateTime>2031-01-02T03:04:05</EventDateTime><EventType>UPDATE</EventType>' +
        '<Context><Changes><Booking change="added" source="A&amp;&quot;&lt;B&gt;" recordLocator="R" />' +
        '</Changes></Context><TripId>abc</TripId></Notification>',
    );
  });
});
