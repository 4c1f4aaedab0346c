import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEGMENT_TYPES } from '../../../domain/segment-types.js';
import type { XmlListItem, XmlNode, XmlValue } from '../../../xml/document.js';
import type { TripView } from '../rules/trip-view.js';
import {
  type Audience,
  SUPPLIER_SEGMENT_TYPES,
  visibleSummary,
  visibleTrip,
} from './trip-visibility.js';

const SUPPLIER: Audience = { kind: 'supplier', bookingSource: 'SkyAir' };
/** Element names that carry money, anywhere in a booking. */
const AMOUNT_ELEMENTS = new Set([
  'Rate',
  'TotalRate',
  'DailyRate',
  'Amount',
  'Charges',
  'AirfareQuotes',
  'AirlineTickets',
  'RailPayments',
  'MiscChargeOrders',
]);
const DATE_FIELDS = ['StartDateLocal', 'EndDateLocal', 'StartDateUtc', 'EndDateUtc'];

function names(value: XmlValue, found = new Set<string>()): Set<string> {
  if (typeof value === 'string') return found;
  if (Array.isArray(value)) {
    for (const item of value) {
      found.add(item.element);
      names(item.node, found);
    }
    return found;
  }
  for (const [name, child] of Object.entries(value)) {
    found.add(name);
    names(child, found);
  }
  return found;
}

const dateTime = fc
  .record({
    day: fc.integer({ min: 1, max: 28 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
  })
  .map(
    ({ day, hour, minute }) =>
      `2030-05-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00`,
  );
const amount = fc.integer({ min: 1, max: 99_999_999 }).map((n) => `${n}.${n % 10_000}`);

const segment: fc.Arbitrary<XmlListItem> = fc
  .record({
    element: fc.constantFrom(...SEGMENT_TYPES),
    start: dateTime,
    end: dateTime,
    startUtc: dateTime,
    gate: fc.option(fc.constantFrom('A1', 'B22'), { nil: undefined }),
    terminal: fc.option(fc.constantFrom('T1', 'North'), { nil: undefined }),
    rate: fc.option(amount, { nil: undefined }),
    totalRate: fc.option(amount, { nil: undefined }),
    charge: fc.option(amount, { nil: undefined }),
    vendor: fc.constantFrom('UA', 'ZE', '$$'),
  })
  .map((s) => {
    const node: XmlNode = {
      Vendor: s.vendor,
      StartCityCode: 'SEA',
      StartDateLocal: s.start,
      EndDateLocal: s.end,
      StartDateUtc: s.startUtc,
      ConfirmationNumber: 'CONF1',
    };
    if (s.gate) node.StartGate = s.gate;
    if (s.terminal) node.EndTerminal = s.terminal;
    if (s.rate) node.Rate = s.rate;
    if (s.totalRate) node.TotalRate = s.totalRate;
    if (s.charge) {
      node.Charges = [{ element: 'Fixed', node: { Amount: s.charge, Currency: 'USD' } }];
    }
    return { element: s.element, node };
  });

const booking: fc.Arbitrary<XmlNode> = fc
  .record({
    source: fc.constantFrom('SkyAir', 'skyair', 'GDS1', 'OtherHotel'),
    segments: fc.array(segment, { maxLength: 5 }),
    fare: fc.option(amount, { nil: undefined }),
  })
  .map((b) => {
    const node: XmlNode = {
      BookingSource: b.source,
      RecordLocator: 'ABC123',
      Passengers: [{ element: 'Passenger', node: { NameFirst: 'Pat', NameLast: 'Lee' } }],
      Segments: b.segments,
    };
    if (b.fare) {
      node.AirlineTickets = [{ element: 'AirlineTicket', node: { BaseFare: b.fare } }];
    }
    return node;
  });

const trip: fc.Arbitrary<TripView> = fc
  .record({ bookings: fc.array(booking, { maxLength: 4 }), start: dateTime })
  .map(({ bookings, start }) => ({
    id: 'T1',
    status: 0,
    document: {
      TripId: 'T1',
      TripName: 'Trip',
      Description: 'internal',
      StartDateLocal: start,
      ClientLocator: 'X',
    },
    bookings,
    owner: { id: 'u1', login_id: 'u@example.com', company_id: 'c1' },
    rendering: '<Itinerary/>',
  }));

const owned = (b: XmlNode) => String(b.BookingSource).toLowerCase() === 'skyair';

describe('visibleTrip (property)', () => {
  it('never shows a supplier another source’s amounts or a hidden segment type', () => {
    fc.assert(
      fc.property(trip, (view) => {
        const before = structuredClone(view);
        const visible = visibleTrip(view, SUPPLIER);
        expect(view).toEqual(before);
        expect(visible.rendering).toBeUndefined();
        expect(visible.bookings).toHaveLength(view.bookings.length);
        const rendered = JSON.stringify(visible);
        visible.bookings.forEach((b, index) => {
          const original = view.bookings[index] as XmlNode;
          const segments = (b.Segments ?? []) as XmlListItem[];
          for (const s of segments) expect(SUPPLIER_SEGMENT_TYPES).toContain(s.element);
          if (owned(original)) {
            const allowed = (original.Segments as XmlListItem[]).filter((s) =>
              SUPPLIER_SEGMENT_TYPES.includes(s.element),
            );
            expect(segments).toEqual(allowed);
            return;
          }
          for (const name of names(b)) expect(AMOUNT_ELEMENTS.has(name)).toBe(false);
          expect(b.RecordLocator).toBeUndefined();
          expect(b.Passengers).toBeUndefined();
          for (const s of segments.filter((x) => x.element === 'Air')) {
            for (const field of DATE_FIELDS) {
              if (s.node[field] !== undefined) expect(s.node[field]).toMatch(/T00:00:00$/);
            }
            expect(s.node.StartGate).toBeUndefined();
            expect(s.node.EndTerminal).toBeUndefined();
          }
        });
        // No amount of a booking the supplier does not own survives anywhere in the view.
        for (const original of view.bookings.filter((b) => !owned(b))) {
          for (const value of amountsIn(original)) {
            const ownedHasIt = view.bookings.some((b) => owned(b) && amountsIn(b).includes(value));
            if (!ownedHasIt) expect(rendered).not.toContain(JSON.stringify(value));
          }
        }
        expect(visible.document.Description).toBeUndefined();
        expect(visible.document.ClientLocator).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('leaves the trip untouched for everyone else', () => {
    fc.assert(
      fc.property(trip, (view) => {
        expect(visibleTrip(view, { kind: 'full' })).toBe(view);
      }),
    );
  });
});

function amountsIn(node: XmlNode): string[] {
  const found: string[] = [];
  const walk = (value: XmlValue, name: string) => {
    if (typeof value === 'string') {
      if (AMOUNT_ELEMENTS.has(name) || name === 'BaseFare') found.push(value);
    } else if (Array.isArray(value)) {
      for (const item of value) walk(item.node, item.element);
    } else {
      for (const [child, v] of Object.entries(value)) walk(v, child);
    }
  };
  walk(node, '');
  return found;
}

describe('visibleTrip', () => {
  it('keeps a supplier without a booking source from owning anything', () => {
    const view: TripView = {
      id: 'T',
      status: 0,
      document: { TripName: 'x' },
      bookings: [{ BookingSource: 'SkyAir', RecordLocator: 'R1', Segments: [] }],
      owner: { id: 'u', login_id: 'u', company_id: 'c' },
    };
    const visible = visibleTrip(view, { kind: 'supplier', bookingSource: null });
    expect(visible.bookings[0]?.RecordLocator).toBeUndefined();
  });
});

describe('visibleSummary', () => {
  const summary = {
    startLocal: '2030-05-01T09:30:00',
    endLocal: '2030-05-03T18:00:00',
    bookingSources: ['GDS1', 'SkyAir'],
    recordLocators: ['G1', 'S1'],
    passengers: ['Pat Lee'],
    bookingKeys: [
      ['GDS1', 'G1'],
      ['SkyAir', 'S1'],
    ] as [string, string][],
  };

  it('shows a supplier its own source and locators, and dates only beside others’ bookings', () => {
    expect(visibleSummary(summary, SUPPLIER)).toEqual({
      startLocal: '2030-05-01T00:00:00',
      endLocal: '2030-05-03T00:00:00',
      bookingSources: ['SkyAir'],
      recordLocators: ['S1'],
      passengers: [],
    });
    const ownOnly = { ...summary, bookingKeys: [['SkyAir', 'S1']] as [string, string][] };
    expect(visibleSummary(ownOnly, SUPPLIER).startLocal).toBe('2030-05-01T09:30:00');
  });

  it('is the identity for everyone else', () => {
    expect(visibleSummary(summary, { kind: 'full' })).toBe(summary);
  });
});
