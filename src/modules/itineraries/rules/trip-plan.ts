/**
 * What a trip POST stores, computed before any SQL runs: the checks the schema cannot make, the
 * server-owned fields, and the trip and booking records. Pure functions, so a write transaction
 * holds the database only for its statements.
 */
import {
  assignLegIds,
  bookingIdentity,
  deriveTrip,
  type PreparedBooking,
  prepareBooking,
} from '../../../domain/trip-derivation.js';
import { errors } from '../../../errors.js';
import { leaf, list, type XmlNode, type XmlValue } from '../../../xml/document.js';
import { guestKeyOf, type ProfileNames, tripGuestKeyOf } from './guest-bookings.js';
import type { BookingRecord, TripIndex, TripRecord } from './records.js';
import { checkSegmentTimeZones } from './segment-zones.js';
import { newBookingId } from './trip-ids.js';
import { validateProposal } from './trip-proposals.js';

/** The posting app, as the plan records it on each booking. */
export interface PostingApp {
  id: string;
  kind: string;
}

/** BookingOwner recorded for bookings an app posts (SPEC §7.4). */
export function bookingOwnerFor(app: Pick<PostingApp, 'kind'>): string {
  return app.kind === 'supplier' ? 'OpenBookingSupplier' : 'ConcurConnectAPI';
}

/**
 * Checks a booking's identity fields (both required, SPEC §2.3, §2.6), trims them in place and
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

/**
 * Checks what the schema cannot: required elements, an Agency Proposal's fields, and unique
 * booking identities.
 */
export function validateItinerary(itinerary: XmlNode): void {
  if (!leaf(itinerary, 'TripName')?.trim()) throw errors.missingField('Itinerary/TripName');
  validateProposal(itinerary);
  const seen = new Set<string>();
  list(itinerary, 'Bookings').forEach((item, index) => {
    const path = `Itinerary/Bookings/Booking[${index + 1}]`;
    const { source, recordLocator: locator } = validateBookingIdentity(item.node, path);
    checkSegmentTimeZones(item.node, path);
    const identity = bookingIdentity(source, locator);
    if (seen.has(identity)) {
      throw errors.badRequest(
        `${path} repeats the booking ${source}/${locator}; each booking may appear once per trip.`,
      );
    }
    seen.add(identity);
  });
}

/** The Booking elements of a posted Itinerary. */
export function postedBookings(itinerary: XmlNode): XmlNode[] {
  return list(itinerary, 'Bookings').map((item) => item.node);
}

/** A trip POST's outcome: the trip's new record and index, and its bookings. */
export interface TripPlan {
  trip: TripRecord;
  index: TripIndex;
  bookings: BookingRecord[];
}

/**
 * Computes what a trip POST stores over `base` (a new trip's identity, or the stored trip it
 * replaces): server-owned fields, the trip's dates, status and index, and the booking records.
 * A trip owns the bookings posted with it: the same BookingSource + RecordLocator in another
 * trip of the traveller is another trip's booking (trips never merge, COMPATIBILITY.md). On
 * update, a booking re-sent keeps its id and creation time.
 *
 * @param app the posting app, recorded on each booking
 * @param owner the traveller's profile names, which tell guest bookings apart
 * @param existing the bookings of the trip being replaced (none for a new trip)
 */
export function planTrip(
  base: TripRecord,
  itinerary: XmlNode,
  app: PostingApp,
  owner: ProfileNames,
  existing: readonly BookingRecord[],
  now: number,
): TripPlan {
  const document = tripDocumentOf(itinerary);
  const existingByIdentity = new Map(
    existing.map((b) => [bookingIdentity(b.source, b.recordLocator), b]),
  );
  const bookingOwner = bookingOwnerFor(app);
  const prepared: PreparedBooking[] = postedBookings(itinerary).map((node) => {
    const before = existingByIdentity.get(
      bookingIdentity(leaf(node, 'BookingSource') ?? '', leaf(node, 'RecordLocator') ?? ''),
    );
    return prepareBooking(node, { bookingOwner, now, createdAt: before?.createdAt });
  });
  assignLegIds(prepared.map((b) => b.document));
  const derived = deriveTrip(document, prepared, {
    tripId: base.id,
    triplinkLocator: base.triplinkLocator,
    createdAt: base.createdAt,
    now,
  });
  const bookings = prepared.map(
    (booking, position): BookingRecord => ({
      ...booking,
      id:
        existingByIdentity.get(bookingIdentity(booking.source, booking.recordLocator))?.id ??
        newBookingId(),
      tripId: base.id,
      companyId: base.companyId,
      ownerId: base.ownerId,
      appId: app.id,
      position,
      guestKey: guestKeyOf(booking.document, owner),
    }),
  );
  return {
    trip: {
      ...base,
      name: leaf(document, 'TripName') ?? '',
      status: derived.status,
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
    bookings,
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
