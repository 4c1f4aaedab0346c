/**
 * A trip as its traveller reads it: one time line of its segments, live and cancelled, each
 * with what a person needs (carrier and flight number, places by name, local times with their
 * zone, duration, hotel nights, confirmation number), and where a traveller is on a given day.
 * Pure: no storage, no HTML.
 */
import { wallClockToMs } from '../../domain/dates.js';
import { type Place, placeOfCode } from '../../domain/places.js';
import { resolveTimeZone } from '../../domain/time/time-zone.js';
import { leaf, list, type XmlNode } from '../../xml/document.js';
import { CANCELLED_SEGMENTS } from './module-ports.js';

/** A local time with the zone it is in. */
export interface LocalTime {
  /** `YYYY-MM-DDThh:mm` as booked. */
  local: string;
  /** IANA zone, when one is known (the segment's TimeZone or its city code). */
  zone?: string;
  /** The zone's offset from UTC at that time, `+01:00`, when the UTC time is known. */
  offset?: string;
}

/** Where a segment starts or ends: a code with its place, and/or a name as booked. */
export interface SegmentPlace {
  code?: string;
  place?: Place;
  /** A name or address as booked (hotel address, rail station, city name). */
  text?: string;
}

export interface TimelineEntry {
  type: string;
  /** The carrier, hotel, rental company or operator, as booked. */
  vendor?: string;
  /** Flight (`BA 117`) or train number. */
  number?: string;
  /** A hotel's or event's name. */
  title?: string;
  from: SegmentPlace;
  to?: SegmentPlace;
  start?: LocalTime;
  end?: LocalTime;
  /** Minutes between the UTC start and end, when both are known. */
  durationMinutes?: number;
  /** Hotel nights (calendar days between check-in and check-out dates). */
  nights?: number;
  confirmation?: string;
  recordLocator?: string;
  cancelled: boolean;
  /** For ordering: the UTC start when known, else the local start read as UTC. */
  sortKey: number;
}

/** GDS statuses of segments no longer held. */
const DEAD_STATUSES = new Set(['XX', 'HX', 'UN', 'UC', 'NO', 'XK']);
const TRAVEL_TYPES = new Set(['Air', 'Rail']);

function text(node: XmlNode, name: string): string | undefined {
  const value = leaf(node, name)?.trim();
  return value ? value : undefined;
}

function placeOf(code: string | undefined, name: string | undefined): SegmentPlace {
  const place = placeOfCode(code);
  return {
    ...(code ? { code: code.toUpperCase() } : {}),
    ...(place ? { place } : {}),
    ...(name && name.toUpperCase() !== code?.toUpperCase() ? { text: name } : {}),
  };
}

/** `+hh:mm` of an offset in minutes. */
function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function localTime(
  local: string | undefined,
  utc: string | undefined,
  zone: string | undefined,
): LocalTime | undefined {
  if (!local || Number.isNaN(wallClockToMs(local.slice(0, 19)))) return undefined;
  const time: LocalTime = { local: local.slice(0, 16) };
  if (zone) time.zone = zone;
  if (utc) {
    const minutes = Math.round((wallClockToMs(local.slice(0, 19)) - wallClockToMs(utc)) / 60_000);
    if (Number.isFinite(minutes)) time.offset = formatOffset(minutes);
  }
  return time;
}

function daysBetween(startLocal: string, endLocal: string): number {
  const day = (value: string) =>
    Date.UTC(+value.slice(0, 4), +value.slice(5, 7) - 1, +value.slice(8, 10));
  return Math.round((day(endLocal) - day(startLocal)) / 86_400_000);
}

/** One segment as the time line shows it. */
export function timelineEntry(
  type: string,
  segment: XmlNode,
  booking: XmlNode,
  cancelledAside: boolean,
): TimelineEntry {
  const status = text(segment, 'Status')?.toUpperCase();
  const cancelled =
    cancelledAside ||
    (status !== undefined && DEAD_STATUSES.has(status)) ||
    Boolean(text(segment, 'CancellationNumber') || text(segment, 'DateCancelledUtc'));
  const timeZone = text(segment, 'TimeZone');
  const startCode = text(segment, 'StartCityCode');
  const endCode = text(segment, 'EndCityCode');
  const startLocal = text(segment, 'StartDateLocal');
  const endLocal = text(segment, 'EndDateLocal');
  const startUtc = text(segment, 'StartDateUtc');
  const endUtc = text(segment, 'EndDateUtc');
  const start = localTime(startLocal, startUtc, resolveTimeZone({ timeZone, cityCode: startCode }));
  const end = localTime(
    endLocal,
    endUtc,
    resolveTimeZone({ timeZone, cityCode: endCode ?? startCode }),
  );
  const vendor = text(segment, 'VendorName') ?? text(segment, 'Vendor');
  const vendorCode = text(segment, 'Vendor');
  const flight = text(segment, 'FlightNumber');
  const train = text(segment, 'TrainNumber');
  const entry: TimelineEntry = {
    type,
    from: placeOf(
      startCode,
      text(segment, 'StartRailStationName') ??
        text(segment, 'StartAddress') ??
        text(segment, 'StartCity'),
    ),
    cancelled,
    sortKey: startUtc
      ? wallClockToMs(startUtc)
      : startLocal
        ? wallClockToMs(startLocal.slice(0, 19))
        : Number.MAX_SAFE_INTEGER,
  };
  if (vendor) entry.vendor = vendor;
  if (flight) entry.number = vendorCode ? `${vendorCode} ${flight}` : flight;
  else if (train) entry.number = train;
  const title = text(segment, 'Name');
  if (title) entry.title = title;
  if (
    type !== 'Hotel' &&
    (endCode || text(segment, 'EndCity') || text(segment, 'EndRailStationName'))
  ) {
    entry.to = placeOf(
      endCode,
      text(segment, 'EndRailStationName') ??
        text(segment, 'EndAddress') ??
        text(segment, 'EndCity'),
    );
  }
  if (start) entry.start = start;
  if (end) entry.end = end;
  if (startUtc && endUtc) {
    const minutes = Math.round((wallClockToMs(endUtc) - wallClockToMs(startUtc)) / 60_000);
    if (minutes >= 0) entry.durationMinutes = minutes;
  }
  if (type === 'Hotel' && startLocal && endLocal) {
    const nights = daysBetween(startLocal, endLocal);
    if (nights >= 0) entry.nights = nights;
  }
  const confirmation = text(segment, 'ConfirmationNumber');
  if (confirmation) entry.confirmation = confirmation;
  const locator = text(booking, 'RecordLocator');
  if (locator) entry.recordLocator = locator;
  return entry;
}

/** Every segment of a trip's bookings, live and cancelled, in time order. */
export function tripTimeline(bookings: readonly XmlNode[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const booking of bookings) {
    for (const item of list(booking, 'Segments')) {
      entries.push(timelineEntry(item.element, item.node, booking, false));
    }
    for (const item of list(booking, CANCELLED_SEGMENTS)) {
      entries.push(timelineEntry(item.element, item.node, booking, true));
    }
  }
  return entries.sort((a, b) => a.sortKey - b.sortKey);
}

/**
 * Where a traveller is on `date` (`YYYY-MM-DD`, local): the place of the last live segment
 * that started by the end of that day (a flight's or train's arrival, a hotel's or car's
 * start), else where the trip's first segment starts. Undefined without a known place.
 */
export function whereOn(entries: readonly TimelineEntry[], date: string): SegmentPlace | undefined {
  const live = entries.filter((e) => !e.cancelled && e.start);
  const endOfDay = `${date}T23:59`;
  const started = live.filter((e) => (e.start?.local ?? '') <= endOfDay);
  const last = started.at(-1);
  if (!last) return live[0]?.from;
  if (TRAVEL_TYPES.has(last.type) && last.to) {
    // Still in the air at midnight: where the flight lands that day or the next.
    return last.to;
  }
  return last.from;
}
