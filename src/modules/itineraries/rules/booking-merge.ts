/**
 * The merge rules for posted bookings (docs/MERGE.md), as pure functions: where a booking goes,
 * what a new trip made from it is called, and a trip rebuilt from its bookings after any
 * change. The booking services run them under the traveller's lock.
 */
import { deriveTrip, type PreparedBooking, segmentsOf } from '../../../domain/trip-derivation.js';
import { TripStatus } from '../../../domain/trip-status.js';
import { leaf, type XmlListItem, type XmlNode } from '../../../xml/document.js';
import { isCancelledBooking } from './cancellation.js';
import { tripGuestKeyOf } from './guest-bookings.js';
import type { BookingRecord, TripIndex, TripOrigin, TripRecord } from './records.js';
import { newTripId, newTripLinkLocator } from './trip-ids.js';

/** Marks a trip cancelled because its last live booking was; not an XSD element, never emitted. */
const CANCELLED_BY_BOOKINGS = '__cancelledByBookings';

/** A trip a booking's dates overlap, as the merge decision needs it. */
export interface MergeCandidate {
  id: string;
  origin: TripOrigin;
  startAt: number | null;
  createdAt: number;
}

/** Where a new booking goes: one trip, and the booking-made trips it joins into that one. */
export interface MergeDecision<T extends MergeCandidate> {
  target: T | undefined;
  absorbed: T[];
}

/** Earliest start first, then the oldest trip, then the id: the same choice in every run. */
function byPlacement(a: MergeCandidate, b: MergeCandidate): number {
  const start = (a.startAt ?? Number.MAX_SAFE_INTEGER) - (b.startAt ?? Number.MAX_SAFE_INTEGER);
  if (start !== 0) return start;
  if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt;
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

/** A trip rebuilt from its bookings: its new record and list index. */
export interface RebuiltTrip {
  trip: TripRecord;
  index: TripIndex;
}

/**
 * Recomputes a trip from its bookings after a change: dates, UTC fields, summary, status and
 * whether it is a guest trip (from the bookings' stored guest keys). A trip whose every booking
 * is cancelled is cancelled; a trip cancelled that way (not by a trip cancel) comes back when
 * one of its bookings does. Changes `trip.document` in place (the caller's freshly loaded copy).
 */
export function rebuildTrip(
  trip: TripRecord,
  bookings: readonly BookingRecord[],
  now: number,
): RebuiltTrip {
  const document = trip.document;
  const derived = deriveTrip(document, bookings, {
    tripId: trip.id,
    triplinkLocator: trip.triplinkLocator,
    createdAt: trip.createdAt,
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
  return {
    trip: {
      ...trip,
      name: leaf(document, 'TripName') ?? trip.name,
      status,
      startAt: derived.startAt,
      endAt: derived.endAt,
      modifiedAt: now,
      document,
    },
    index: {
      bookingTypes: derived.bookingTypes,
      summary: derived.summary,
      guestKey: tripGuestKeyOf(bookings),
    },
  };
}

/** A new trip made from a booking, named after where it goes (not stored yet). */
export function newBookingTrip(
  owner: { id: string; company_id: string },
  agencyId: string | null,
  booking: PreparedBooking,
  now: number,
): TripRecord {
  const name = tripNameFor(booking.document);
  return {
    id: newTripId(),
    companyId: owner.company_id,
    ownerId: owner.id,
    name,
    status: TripStatus.Confirmed,
    startAt: booking.startAt,
    endAt: booking.endAt,
    createdAt: now,
    modifiedAt: now,
    triplinkLocator: newTripLinkLocator(),
    agencyId,
    origin: 'booking',
    document: { TripName: name, TripStatus: '0' },
    rendering: null,
    version: 1,
  };
}
