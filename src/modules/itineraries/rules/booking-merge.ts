/**
 * The merge rules for posted bookings (docs/MERGE.md), as pure functions: where a booking goes,
 * what a new trip made from it is called, which of its segments are cancelled, and a trip
 * rebuilt from its bookings after any change. The booking service runs them under the
 * traveller's lock.
 */
import type { BookingRow, TripOrigin, TripRow, UserRow } from '../../../db/database.js';
import { readJson } from '../../../db/database.js';
import { formatUtc } from '../../../domain/dates.js';
import { deriveTrip, type PreparedBooking, segmentsOf } from '../../../domain/trip-derivation.js';
import { TripStatus } from '../../../domain/trip-status.js';
import { leaf, list, type XmlListItem, type XmlNode } from '../../../xml/document.js';
import type { Principal } from '../../accounts/principal.js';
import { agencyOfNewTrip } from '../access/write-permissions.js';
import { newTripId, newTripLinkLocator } from './trip-ids.js';
import { CANCELLED_SEGMENTS } from './trip-plan.js';
import { type TripRenderer, type TripView, typesColumn } from './trip-view.js';

/** Marks a trip cancelled because its last live booking was; not an XSD element, never emitted. */
const CANCELLED_BY_BOOKINGS = '__cancelledByBookings';

/** A trip a booking's dates overlap, as the merge decision needs it. */
export interface MergeCandidate {
  id: string;
  origin: TripOrigin;
  start_at: number | null;
  created_at: number;
}

/** Where a new booking goes: one trip, and the booking-made trips it joins into that one. */
export interface MergeDecision<T extends MergeCandidate> {
  target: T | undefined;
  absorbed: T[];
}

/** Earliest start first, then the oldest trip, then the id: the same choice in every run. */
function byPlacement(a: MergeCandidate, b: MergeCandidate): number {
  const start = (a.start_at ?? Number.MAX_SAFE_INTEGER) - (b.start_at ?? Number.MAX_SAFE_INTEGER);
  if (start !== 0) return start;
  if (a.created_at !== b.created_at) return a.created_at - b.created_at;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Chooses the trip for a booking among the trips its dates overlap. A trip posted as a trip
 * wins over trips made from bookings (posted trips are the traveller's or agency's plan);
 * among equals the earliest. Booking-made trips the booking also overlaps join the chosen trip,
 * since the booking bridges them: that makes the outcome the same in whatever order a set of
 * bookings arrives. Posted trips never join another trip.
 */
export function chooseTrip<T extends MergeCandidate>(candidates: readonly T[]): MergeDecision<T> {
  const sorted = [...candidates].sort(byPlacement);
  const target = sorted.find((c) => c.origin === 'trip') ?? sorted[0];
  const absorbed = sorted.filter((c) => c !== target && c.origin === 'booking');
  return { target, absorbed };
}

/** True when a segment was posted as cancelled (NOTES §2.7: CancellationNumber, DateCancelledUtc). */
function postedAsCancelled(segment: XmlNode): boolean {
  return Boolean(leaf(segment, 'CancellationNumber') || leaf(segment, 'DateCancelledUtc'));
}

/**
 * Moves the segments a booking POST marks as cancelled out of `Segments`, beside the booking
 * (kept, not shown), each with its `DateCancelledUtc`. Mutates and returns `booking`.
 */
export function setAsideCancelledSegments(booking: XmlNode, now: number): XmlNode {
  const segments = list(booking, 'Segments');
  const cancelled = segments.filter((s) => postedAsCancelled(s.node));
  if (cancelled.length === 0) return booking;
  for (const segment of cancelled) {
    if (!leaf(segment.node, 'DateCancelledUtc')) segment.node.DateCancelledUtc = formatUtc(now);
  }
  booking.Segments = segments.filter((s) => !postedAsCancelled(s.node));
  booking[CANCELLED_SEGMENTS] = cancelled;
  return booking;
}

/** True when a booking has cancelled segments and no live ones. */
export function isCancelledBooking(booking: XmlNode): boolean {
  return segmentsOf(booking).length === 0 && list(booking, CANCELLED_SEGMENTS).length > 0;
}

/** Where a segment takes the traveller: an air destination, else the place it is at. */
function placeOf(segment: XmlListItem): string | undefined {
  const node = segment.node;
  if (segment.element === 'Air' || segment.element === 'Rail') {
    return leaf(node, 'EndCity') || leaf(node, 'EndCityCode') || leaf(node, 'EndRailStation');
  }
  return leaf(node, 'StartCity') || leaf(node, 'StartCityCode') || leaf(node, 'City');
}

/** The name of a trip made from a booking: "Trip to <first place>", as Concur's sample shows. */
export function tripNameFor(booking: XmlNode): string {
  const ordered = [...segmentsOf(booking)].sort((a, b) =>
    (leaf(a.node, 'StartDateLocal') ?? '').localeCompare(leaf(b.node, 'StartDateLocal') ?? ''),
  );
  for (const segment of ordered) {
    const place = placeOf(segment);
    if (place) return `Trip to ${place}`;
  }
  return `Trip for ${leaf(booking, 'BookingSource') ?? ''} ${leaf(booking, 'RecordLocator') ?? ''}`.trim();
}

/** A stored booking in the form trip derivation takes. */
export function preparedFromRow(row: BookingRow, document = readJson<XmlNode>(row.document)) {
  const prepared: PreparedBooking = {
    source: row.source,
    recordLocator: row.record_locator,
    document,
    startAt: row.start_at,
    endAt: row.end_at,
    segmentTypes: row.segment_types.split(',').filter(Boolean),
    createdAt: row.created_at,
    modifiedAt: row.modified_at,
  };
  return prepared;
}

/** What a rebuilt trip stores: its row values and the view answered to the client. */
export interface RebuiltTrip {
  view: TripView;
  row: {
    name: string;
    status: number;
    start_at: number | null;
    end_at: number | null;
    modified_at: number;
    booking_types: string;
    summary: string;
    document: string;
    rendering: string;
  };
}

/**
 * Recomputes a trip from its bookings after a change: dates, UTC fields, summary, status and
 * rendering. A trip whose every booking is cancelled is cancelled; a trip cancelled that way
 * (not by a trip cancel) comes back when one of its bookings does.
 */
export function rebuildTrip(
  trip: TripRow,
  bookings: readonly PreparedBooking[],
  owner: UserRow,
  render: TripRenderer,
  now: number,
): RebuiltTrip {
  const document = readJson<XmlNode>(trip.document);
  const derived = deriveTrip(document, bookings, {
    tripId: trip.id,
    triplinkLocator: trip.triplink_locator,
    createdAt: trip.created_at,
    now,
  });
  let status = derived.status;
  if (bookings.length > 0 && bookings.every((b) => isCancelledBooking(b.document))) {
    status = TripStatus.Canceled;
    document[CANCELLED_BY_BOOKINGS] = '1';
  } else if (
    status === TripStatus.Canceled &&
    (trip.origin === 'booking' || document[CANCELLED_BY_BOOKINGS] !== undefined)
  ) {
    // Cancelled because its bookings were, not by a trip cancel: a live booking revives it.
    status = TripStatus.Confirmed;
    delete document[CANCELLED_BY_BOOKINGS];
  }
  // Only a status the rule changed is rewritten (a posted `HK` stays as posted otherwise).
  if (status !== derived.status) document.TripStatus = String(status);
  const view: TripView = {
    id: trip.id,
    status,
    document,
    bookings: bookings.map((b) => b.document),
    owner,
  };
  view.rendering = render(view);
  return {
    view,
    row: {
      name: leaf(document, 'TripName') ?? trip.name,
      status,
      start_at: derived.startAt,
      end_at: derived.endAt,
      modified_at: now,
      booking_types: typesColumn(derived.bookingTypes),
      summary: JSON.stringify(derived.summary),
      document: JSON.stringify(document),
      rendering: view.rendering,
    },
  };
}

/** A new trip made from a booking, named after where it goes (not stored yet). */
export function newBookingTrip(
  principal: Principal,
  owner: UserRow,
  booking: PreparedBooking,
  now: number,
): TripRow {
  const document: XmlNode = { TripName: tripNameFor(booking.document), TripStatus: '0' };
  const row: TripRow = {
    id: newTripId(),
    company_id: owner.company_id,
    owner_id: owner.id,
    name: String(document.TripName),
    status: TripStatus.Confirmed,
    start_at: booking.startAt,
    end_at: booking.endAt,
    created_at: now,
    modified_at: now,
    booking_types: '',
    triplink_locator: newTripLinkLocator(),
    agency_id: agencyOfNewTrip(principal),
    origin: 'booking',
    summary: '{}',
    document: JSON.stringify(document),
    rendering: null,
  };
  return row;
}
