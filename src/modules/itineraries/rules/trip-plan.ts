/**
 * What a trip write stores, computed before any SQL runs: validation the schema cannot do,
 * the server-owned fields, the trip and booking rows and the rendering. Pure functions, so a
 * write transaction holds the database only for its statements.
 */

import type { BookingRow, UserRow } from '../../../db/database.js';
import { formatUtc } from '../../../domain/dates.js';
import {
  assignLegIds,
  bookingIdentity,
  deriveTrip,
  type PreparedBooking,
  prepareBooking,
} from '../../../domain/trip-derivation.js';
import { errors } from '../../../errors.js';
import { leaf, list, type XmlNode, type XmlValue } from '../../../xml/document.js';
import type { Principal } from '../../accounts/principal.js';
import type { BookingInsert, TripInsert } from '../store/trip.repository.js';
import { newBookingId } from './trip-ids.js';
import { type TripRenderer, type TripView, typesColumn } from './trip-view.js';

/** Where a cancelled booking keeps its segments; not an XSD element, so never emitted. */
export const CANCELLED_SEGMENTS = '__cancelledSegments';

/** BookingOwner recorded for bookings an app posts (NOTES §7.4). */
export function bookingOwnerFor(principal: Principal): string {
  return principal.app.kind === 'supplier' ? 'OpenBookingSupplier' : 'ConcurConnectAPI';
}

/**
 * Checks a booking's identity fields (both required, NOTES §2.3, §2.6), trims them in place and
 * returns them. `path` names the booking in the error.
 */
export function validateBookingIdentity(
  booking: XmlNode,
  path: string,
): { source: string; recordLocator: string } {
  const source = leaf(booking, 'BookingSource')?.trim();
  const recordLocator = leaf(booking, 'RecordLocator')?.trim();
  if (!source) throw errors.missingField(`${path}/BookingSource`);
  if (!recordLocator) throw errors.missingField(`${path}/RecordLocator`);
  booking.BookingSource = source;
  booking.RecordLocator = recordLocator;
  return { source, recordLocator };
}

/** Checks what the schema cannot: required elements and unique booking identities. */
export function validateItinerary(itinerary: XmlNode): void {
  if (!leaf(itinerary, 'TripName')?.trim()) throw errors.missingField('Itinerary/TripName');
  const seen = new Set<string>();
  list(itinerary, 'Bookings').forEach((item, index) => {
    const path = `Itinerary/Bookings/Booking[${index + 1}]`;
    const { source, recordLocator: locator } = validateBookingIdentity(item.node, path);
    const identity = bookingIdentity(source, locator);
    if (seen.has(identity)) {
      throw errors.badRequest(
        `${path} repeats the booking ${source}/${locator}; each booking may appear once per trip.`,
      );
    }
    seen.add(identity);
  });
}

/**
 * Cancels every segment of a booking: the booking keeps an empty `Segments` (NOTES §2.5) and
 * the cancelled segments are kept aside, out of the documented elements, rather than lost.
 */
export function cancelSegments(booking: XmlNode, now: number): XmlNode {
  const segments = list(booking, 'Segments');
  const { Segments: _removed, ...rest } = booking;
  const cancelled: XmlNode = { ...rest, DateModifiedUtc: formatUtc(now) };
  if (segments.length > 0) {
    cancelled[CANCELLED_SEGMENTS] = [...list(booking, CANCELLED_SEGMENTS), ...segments];
  }
  return cancelled;
}

export interface TripWriteContext {
  tripId: string;
  triplinkLocator: string;
  createdAt: number;
  now: number;
  isNew: boolean;
  /** The agency the trip is recorded under (kept on update). */
  agencyId: string | null;
}

export interface TripPlan {
  view: TripView;
  row: Omit<
    TripInsert,
    'id' | 'company_id' | 'owner_id' | 'created_at' | 'triplink_locator' | 'agency_id' | 'origin'
  >;
  bookings: BookingInsert[];
}

/**
 * Computes what a trip write stores: server-owned fields, the trip row, the booking rows and
 * the rendering. A trip owns the bookings posted with it: the same BookingSource +
 * RecordLocator in another trip of the traveller is another trip's booking (trips never
 * merge, COMPATIBILITY.md). On update, a booking re-sent keeps its id and creation time.
 */
export function planTrip(
  principal: Principal,
  owner: UserRow,
  itinerary: XmlNode,
  render: TripRenderer,
  context: TripWriteContext,
  existing: readonly BookingRow[],
): TripPlan {
  const bookingNodes = list(itinerary, 'Bookings').map((item) => item.node);
  const document = tripDocumentOf(itinerary);
  const existingByIdentity = new Map(
    existing.map((b) => [bookingIdentity(b.source, b.record_locator), b]),
  );
  const bookingOwner = bookingOwnerFor(principal);
  const prepared: PreparedBooking[] = bookingNodes.map((node) => {
    const before = existingByIdentity.get(
      bookingIdentity(leaf(node, 'BookingSource') ?? '', leaf(node, 'RecordLocator') ?? ''),
    );
    return prepareBooking(node, {
      bookingOwner,
      now: context.now,
      createdAt: before?.created_at,
    });
  });
  assignLegIds(prepared.map((b) => b.document));
  const derived = deriveTrip(document, prepared, context);
  // What was written is what the client gets back: no second read after the commit.
  const view: TripView = {
    id: context.tripId,
    status: derived.status,
    document,
    bookings: prepared.map((b) => b.document),
    owner,
  };
  view.rendering = render(view);
  return {
    view,
    row: {
      name: leaf(document, 'TripName') ?? '',
      status: derived.status,
      start_at: derived.startAt,
      end_at: derived.endAt,
      modified_at: context.now,
      booking_types: typesColumn(derived.bookingTypes),
      summary: JSON.stringify(derived.summary),
      document: JSON.stringify(document),
      rendering: view.rendering,
    },
    bookings: prepared.map((b, position) =>
      bookingRow(b, position, context.tripId, owner, principal, existingByIdentity),
    ),
  };
}

/**
 * The trip-level document: the posted Itinerary without its bookings (stored apart) and
 * without UserLoginId (never stored). A copy rather than `delete`s, which would turn the object
 * into a slow dictionary for everything after (derivation, JSON, rendering).
 */
function tripDocumentOf(itinerary: XmlNode): XmlNode {
  const document: XmlNode = {};
  for (const name in itinerary) {
    if (name !== 'Bookings' && name !== 'UserLoginId') document[name] = itinerary[name] as XmlValue;
  }
  return document;
}

function bookingRow(
  booking: PreparedBooking,
  position: number,
  tripId: string,
  owner: UserRow,
  principal: Principal,
  existing: Map<string, { id: string; app_id: string | null }>,
): BookingInsert {
  const before = existing.get(bookingIdentity(booking.source, booking.recordLocator));
  return {
    id: before?.id ?? newBookingId(),
    trip_id: tripId,
    company_id: owner.company_id,
    owner_id: owner.id,
    source: booking.source,
    record_locator: booking.recordLocator,
    app_id: principal.app.id,
    position,
    start_at: booking.startAt,
    end_at: booking.endAt,
    segment_types: typesColumn(booking.segmentTypes),
    created_at: booking.createdAt,
    modified_at: booking.modifiedAt,
    document: JSON.stringify(booking.document),
  };
}
