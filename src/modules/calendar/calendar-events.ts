/**
 * A trip's segments as calendar events (docs/CALENDAR.md): one event per segment, live or
 * cancelled, with its start and end in the segment's own zone when one is known (its
 * `TimeZone`, else its city code: src/domain/time), else in UTC when the segment has UTC times,
 * else as floating local times. Pure: no SQL, no iCalendar syntax.
 */
import { createHash } from 'node:crypto';
import { wallClockToMs } from '../../domain/dates.js';
import { CANCELLED_SEGMENTS } from '../../domain/segment-types.js';
import { resolveTimeZone } from '../../domain/time/time-zone.js';
import { segmentsOf } from '../../domain/trip-derivation.js';
import { TripStatus } from '../../domain/trip-status.js';
import { leaf, list, type XmlNode } from '../../xml/document.js';

/** A moment of an event: a wall-clock time and the zone it is read in. */
export interface EventTime {
  /** `YYYY-MM-DDThh:mm:ss`, read in `zone`, or in UTC when `zone` is `UTC`. */
  local: string;
  /** An IANA zone, `UTC`, or `floating` (no zone known: the same wall clock everywhere). */
  zone: string;
}

export interface CalendarEvent {
  uid: string;
  summary: string;
  location?: string;
  description?: string;
  start: EventTime;
  end?: EventTime;
  cancelled: boolean;
  /** The trip's version: moves with every write of the trip. */
  sequence: number;
  lastModified: number;
}

/** A trip as the events are made from it. */
export interface CalendarTrip {
  id: string;
  name: string;
  status: number;
  version: number;
  modifiedAt: number;
  bookings: readonly XmlNode[];
}

function time(segment: XmlNode, which: 'Start' | 'End'): EventTime | undefined {
  const local = leaf(segment, `${which}DateLocal`);
  if (!local) return undefined;
  const cityCode =
    leaf(segment, `${which}CityCode`) || (which === 'End' ? leaf(segment, 'StartCityCode') : '');
  const zone = resolveTimeZone({
    timeZone: leaf(segment, 'TimeZone') || undefined,
    cityCode: cityCode || undefined,
  });
  if (zone) return { local, zone };
  const utc = leaf(segment, `${which}DateUtc`);
  if (utc) return { local: utc, zone: 'UTC' };
  return { local, zone: 'floating' };
}

function words(...parts: (string | undefined)[]): string {
  return parts.filter((p) => p?.trim()).join(' ');
}

function summaryOf(type: string, s: XmlNode): string {
  const from = leaf(s, 'StartCityCode');
  const to = leaf(s, 'EndCityCode');
  const route = from && to ? `${from} → ${to}` : from || to;
  switch (type) {
    case 'Air':
      return words('Flight', leaf(s, 'Vendor'), leaf(s, 'FlightNumber'), route);
    case 'Rail':
      return words('Train', leaf(s, 'Vendor'), leaf(s, 'TrainNumber'), route);
    case 'Hotel':
      return words('Hotel', leaf(s, 'Name') || leaf(s, 'VendorName') || leaf(s, 'Vendor'));
    case 'Car':
      return words('Car', leaf(s, 'VendorName') || leaf(s, 'Vendor'), route);
    default:
      return words(type, leaf(s, 'Name') || leaf(s, 'VendorName') || leaf(s, 'Vendor'), route);
  }
}

/**
 * The identity of a segment within its booking, without its times (a rescheduled flight stays
 * the same event) or its place in the document: type, vendor, number, route, confirmation.
 */
function identityOf(type: string, s: XmlNode): string {
  return [
    type,
    leaf(s, 'Vendor'),
    leaf(s, 'FlightNumber') || leaf(s, 'TrainNumber'),
    leaf(s, 'StartCityCode'),
    leaf(s, 'EndCityCode'),
    leaf(s, 'ConfirmationNumber'),
  ].join('\u0000');
}

/** The events of a trip, booking by booking, live segments then cancelled ones. */
export function tripEvents(trip: CalendarTrip, host: string): CalendarEvent[] {
  const events: CalendarEvent[] = [];
  const tripCancelled =
    trip.status === TripStatus.Canceled ||
    trip.status === TripStatus.Removed ||
    trip.status === TripStatus.VirtualCancelled;
  for (const booking of trip.bookings) {
    const source = leaf(booking, 'BookingSource') ?? '';
    const locator = leaf(booking, 'RecordLocator') ?? '';
    const seen = new Map<string, number>();
    const segments = [
      ...segmentsOf(booking).map((item) => ({ item, cancelled: false })),
      ...list(booking, CANCELLED_SEGMENTS).map((item) => ({ item, cancelled: true })),
    ];
    for (const { item, cancelled } of segments) {
      const start = time(item.node, 'Start');
      if (!start) continue; // nothing to place on a calendar
      const identity = identityOf(item.element, item.node);
      // Two segments alike in every identifying field are told apart by their order.
      const nth = (seen.get(identity) ?? 0) + 1;
      seen.set(identity, nth);
      const digest = createHash('sha256')
        .update([trip.id, source, locator, identity, String(nth)].join('\u0001'))
        .digest('base64url')
        .slice(0, 32);
      const modified = leaf(item.node, 'DateModifiedUtc');
      const segmentModified = modified ? wallClockToMs(modified) : trip.modifiedAt;
      events.push({
        uid: `${digest}@${host}`,
        summary: summaryOf(item.element, item.node),
        location: leaf(item.node, 'StartCityCode') || leaf(item.node, 'Address') || undefined,
        description: words(trip.name, locator && `(${source} ${locator})`) || undefined,
        start,
        end: time(item.node, 'End'),
        cancelled: cancelled || tripCancelled,
        sequence: trip.version,
        lastModified: Math.max(segmentModified, trip.modifiedAt),
      });
    }
  }
  return events;
}
