/**
 * The fields the server owns on a trip and its bookings (SPEC §2.3, §11 item 11): ids,
 * created/modified times, BookingOwner/Source, segment UTC times, Air LegIds, and the trip's
 * start/end recomputed from its segments. Pure functions over parsed documents.
 */
import { leaf, list, type XmlListItem, type XmlNode } from '../xml/document.js';
import { formatUtc, wallClockToMs } from './dates.js';
import { applySegmentTimes } from './segment-times.js';
import { SEGMENT_TYPES } from './segment-types.js';
import { numericTripStatus } from './trip-status.js';

/** A booking ready to store: its document with server fields set, and its index values. */
export interface PreparedBooking {
  source: string;
  recordLocator: string;
  document: XmlNode;
  startAt: number | null;
  endAt: number | null;
  segmentTypes: string[];
  createdAt: number;
  modifiedAt: number;
}

export interface BookingContext {
  /** Who posted it: `ConcurConnectAPI` for TMCs/partners, `OpenBookingSupplier` for suppliers. */
  bookingOwner: string;
  now: number;
  /** Creation time of the booking when it already existed (same source + record locator). */
  createdAt?: number;
}

/** Identity of a booking within a traveller's bookings: BookingSource + RecordLocator. */
export function bookingIdentity(source: string, recordLocator: string): string {
  return `${source}\u0000${recordLocator}`;
}

/** Segment items of a booking document. */
export function segmentsOf(booking: XmlNode): XmlListItem[] {
  return list(booking, 'Segments');
}

/**
 * Sets a booking's server-owned fields and segment UTC times (mutates `booking`) and returns
 * it with its index values. BookingSource and RecordLocator must have been validated.
 */
export function prepareBooking(booking: XmlNode, context: BookingContext): PreparedBooking {
  const createdAt = context.createdAt ?? context.now;
  const created = formatUtc(createdAt);
  const modified = formatUtc(context.now);
  booking.BookingOwner = context.bookingOwner;
  booking.Source = context.bookingOwner;
  booking.DateCreatedUtc = created;
  booking.DateModifiedUtc = modified;

  let startAt: number | null = null;
  let endAt: number | null = null;
  const types = new Set<string>();
  for (const item of segmentsOf(booking)) {
    types.add(item.element);
    item.node.DateCreatedUtc = created;
    item.node.DateModifiedUtc = modified;
    const span = applySegmentTimes(item.node);
    if (span.startAt !== undefined && (startAt === null || span.startAt < startAt)) {
      startAt = span.startAt;
    }
    if (span.endAt !== undefined && (endAt === null || span.endAt > endAt)) endAt = span.endAt;
  }
  return {
    source: leaf(booking, 'BookingSource') ?? '',
    recordLocator: leaf(booking, 'RecordLocator') ?? '',
    document: booking,
    startAt,
    endAt,
    segmentTypes: SEGMENT_TYPES.filter((t) => types.has(t)),
    createdAt,
    modifiedAt: context.now,
  };
}

/**
 * Numbers Air segments that lack a `LegId`, in time order across the trip, after the highest
 * LegId supplied (the TMC guide's response numbers its two flights 1 and 2).
 */
export function assignLegIds(bookings: readonly XmlNode[]): void {
  const flights: { node: XmlNode; at: number }[] = [];
  let highest = 0;
  for (const booking of bookings) {
    for (const item of segmentsOf(booking)) {
      if (item.element !== 'Air') continue;
      const supplied = leaf(item.node, 'LegId');
      if (supplied && /^\d+$/.test(supplied)) {
        highest = Math.max(highest, Number(supplied));
        continue;
      }
      const startAt = at(leaf(item.node, 'StartDateUtc'), leaf(item.node, 'StartDateLocal'));
      flights.push({ node: item.node, at: startAt ?? Number.MAX_SAFE_INTEGER });
    }
  }
  flights.sort((a, b) => a.at - b.at);
  for (const flight of flights) {
    highest += 1;
    flight.node.LegId = String(highest);
  }
}

/** Trip-level values derived from the bookings, for the trip row and its list summary. */
export interface TripDerived {
  status: number;
  startAt: number | null;
  endAt: number | null;
  bookingTypes: string[];
  summary: TripSummary;
}

/** What the list endpoint shows without reading bookings. */
export interface TripSummary {
  startLocal?: string;
  endLocal?: string;
  bookingSources: string[];
  recordLocators: string[];
  passengers: string[];
  /** [BookingSource, RecordLocator] of each booking (absent in summaries written before it). */
  bookingKeys?: [string, string][];
}

export interface TripContext {
  tripId: string;
  triplinkLocator: string;
  createdAt: number;
  now: number;
}

/**
 * Sets the trip's server-owned fields (mutates `trip`) and recomputes its dates from the
 * segments of `bookings`: start = the earliest segment start, end = the latest segment end,
 * each with its local time and, when known, its UTC time. Without dated segments the posted
 * trip dates are kept.
 */
export function deriveTrip(
  trip: XmlNode,
  bookings: readonly PreparedBooking[],
  context: TripContext,
): TripDerived {
  trip.id = context.tripId;
  trip.TripId = context.tripId;
  trip.ItinLocator = context.tripId;
  trip.TripLinkLocator = context.triplinkLocator;
  trip.DateCreatedUtc = formatUtc(context.createdAt);
  trip.DateModifiedUtc = formatUtc(context.now);
  delete trip.UserLoginId;
  delete trip.Bookings;
  if (!leaf(trip, 'TripStatus')) trip.TripStatus = '0';

  let first: { at: number; local?: string; utc?: string } | undefined;
  let last: { at: number; local?: string; utc?: string } | undefined;
  for (const booking of bookings) {
    for (const item of segmentsOf(booking.document)) {
      const s = item.node;
      const startLocal = leaf(s, 'StartDateLocal') || undefined;
      const startUtc = leaf(s, 'StartDateUtc') || undefined;
      const endLocal = leaf(s, 'EndDateLocal') || startLocal;
      const endUtc = leaf(s, 'EndDateLocal') ? leaf(s, 'EndDateUtc') || undefined : startUtc;
      const startAt = at(startUtc, startLocal);
      const endAt = at(endUtc, endLocal);
      if (startAt !== undefined && (!first || startAt < first.at)) {
        first = { at: startAt, local: startLocal, utc: startUtc };
      }
      if (endAt !== undefined && (!last || endAt > last.at)) {
        last = { at: endAt, local: endLocal, utc: endUtc };
      }
    }
  }
  if (first) setDate(trip, 'Start', first);
  if (last) setDate(trip, 'End', last);

  if (!leaf(trip, 'DateBookedLocal')) {
    const booked = bookings.map((b) => leaf(b.document, 'DateBookedLocal')).find(Boolean);
    if (booked) trip.DateBookedLocal = booked;
  }
  if (!leaf(trip, 'BookedVia') && bookings[0]) trip.BookedVia = bookings[0].source;

  const startAt = first?.at ?? at(leaf(trip, 'StartDateUtc'), leaf(trip, 'StartDateLocal')) ?? null;
  const endAt = last?.at ?? at(leaf(trip, 'EndDateUtc'), leaf(trip, 'EndDateLocal')) ?? startAt;
  const types = new Set<string>();
  for (const booking of bookings) for (const type of booking.segmentTypes) types.add(type);
  return {
    status: numericTripStatus(leaf(trip, 'TripStatus')),
    startAt,
    endAt,
    bookingTypes: SEGMENT_TYPES.filter((t) => types.has(t)),
    summary: {
      startLocal: leaf(trip, 'StartDateLocal') || undefined,
      endLocal: leaf(trip, 'EndDateLocal') || undefined,
      bookingSources: unique(bookings.map((b) => b.source)),
      recordLocators: unique(bookings.map((b) => b.recordLocator)),
      passengers: unique(bookings.flatMap((b) => passengerNames(b.document))),
      bookingKeys: bookings.map((b): [string, string] => [b.source, b.recordLocator]),
    },
  };
}

function setDate(trip: XmlNode, which: 'Start' | 'End', value: { local?: string; utc?: string }) {
  if (value.local) trip[`${which}DateLocal`] = value.local;
  if (value.utc) trip[`${which}DateUtc`] = value.utc;
  else delete trip[`${which}DateUtc`];
}

function at(utc: string | undefined, local: string | undefined): number | undefined {
  const value = utc || local;
  return value ? wallClockToMs(value) : undefined;
}

function passengerNames(booking: XmlNode): string[] {
  return list(booking, 'Passengers')
    .map((p) => [leaf(p.node, 'NameFirst'), leaf(p.node, 'NameLast')].filter(Boolean).join(' '))
    .filter((name) => name.length > 0);
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter((v) => v.length > 0))];
}
