/**
 * Builders of Itinerary documents for the trip tests: dates relative to the day the test file
 * started, segments, bookings, and one-segment trips with fresh record locators.
 */
import { TRIP_NS } from './trip-requests.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Midnight UTC of the day this test file started, as epoch ms. Fixed once, so that trips posted
 * in `beforeAll` and the queries of later tests agree even if a run crosses midnight; the
 * server's own default window has days of margin in every test that relies on it.
 */
const TODAY = (() => {
  const d = new Date();
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
})();

/** `YYYY-MM-DDThh:00:00` for today + `days`, at `hour`. */
export function dayAt(days: number, hour = 12): string {
  return new Date(TODAY + days * DAY_MS + hour * 3600_000).toISOString().slice(0, 19);
}

/** `YYYY-MM-DD` (or with another separator) for today + `days`. */
export function dateOnly(days: number, separator = '-'): string {
  return new Date(TODAY + days * DAY_MS).toISOString().slice(0, 10).replaceAll('-', separator);
}

export interface SegmentSpec {
  type?: 'Air' | 'Car' | 'Hotel' | 'Rail' | 'Dining' | 'Parking' | 'Ride';
  start: string;
  end?: string;
  /** Extra XML inside the segment. */
  extra?: string;
}

export interface BookingSpec {
  source?: string;
  locator: string;
  segments?: SegmentSpec[];
  extra?: string;
}

export interface TripSpec {
  name?: string;
  bookings?: BookingSpec[];
  /** Extra XML inside `<Itinerary>`. */
  extra?: string;
  /** Default true: the trip namespace on the root. */
  namespaced?: boolean;
}

/** An Itinerary document; segments carry no city code, so local times stand for UTC. */
export function tripXml(spec: TripSpec = {}): string {
  const bookings = (spec.bookings ?? [])
    .map((b) => {
      const segments = (b.segments ?? [])
        .map((s) => {
          const type = s.type ?? 'Car';
          const end = s.end ? `<EndDateLocal>${s.end}</EndDateLocal>` : '';
          return `<${type}><StartDateLocal>${s.start}</StartDateLocal>${end}${s.extra ?? ''}</${type}>`;
        })
        .join('');
      return (
        `<Booking><RecordLocator>${b.locator}</RecordLocator>` +
        `<BookingSource>${b.source ?? 'TestTMC'}</BookingSource>` +
        `${segments ? `<Segments>${segments}</Segments>` : ''}${b.extra ?? ''}</Booking>`
      );
    })
    .join('');
  const ns = spec.namespaced === false ? '' : ` xmlns="${TRIP_NS}"`;
  return (
    `<?xml version="1.0" encoding="utf-8"?><Itinerary${ns}>` +
    `<TripName>${spec.name ?? 'Test trip'}</TripName>${spec.extra ?? ''}` +
    `${bookings ? `<Bookings>${bookings}</Bookings>` : ''}</Itinerary>`
  );
}

let locatorSequence = 0;

/**
 * A one-booking, one-segment trip from `fromDay` to `toDay` (days relative to today). The record
 * locator is new on every call unless given, so that list assertions can tell trips apart.
 */
export function simpleTrip(
  name: string,
  fromDay: number,
  toDay: number,
  type: SegmentSpec['type'] = 'Car',
  locator = `SIMPLE${++locatorSequence}`,
): string {
  return tripXml({
    name,
    bookings: [{ locator, segments: [{ type, start: dayAt(fromDay), end: dayAt(toDay) }] }],
  });
}
