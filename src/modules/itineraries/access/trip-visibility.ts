/**
 * What each caller may see of a trip (SPEC §3, docs/ACCESS.md). One pure function decides it,
 * applied to every trip a read or write answers with, before presenting:
 *
 * - TMCs, partners, travellers and administrators see the whole trip (which trips they may
 *   reach at all is decided earlier, by company, owner and agency).
 * - A TripLink supplier sees only Air, Car, Hotel and Ride segments. Bookings it owns (same
 *   BookingSource as its app) come in full; of other bookings it sees the TripLink field subset
 *   of ITIN's data model: no amounts, no record locator, no passengers, and for air, dates
 *   without their times and no gates or terminals.
 */

import type { TripSummary } from '../../../domain/trip-derivation.js';
import { leaf, list, type XmlListItem, type XmlNode } from '../../../xml/document.js';
import type { Principal } from '../../accounts/index.js';
import type { TripView } from '../rules/trip-view.js';

/** Who a trip is shown to, as far as its content goes. */
export type Audience = { kind: 'full' } | { kind: 'supplier'; bookingSource: string | null };

/** Segment types a TripLink supplier may see and post (TRIP "Booking Element"). */
export const SUPPLIER_SEGMENT_TYPES: readonly string[] = ['Air', 'Car', 'Hotel', 'Ride'];

/** Trip-level elements shown to suppliers (TRIP's "TripLink" column plus the server's ids). */
const SUPPLIER_TRIP_FIELDS = new Set([
  'id',
  'TripId',
  'ItinLocator',
  'TripLinkLocator',
  'TripName',
  'TripStatus',
  'IsPersonal',
  'StartDateLocal',
  'EndDateLocal',
  'StartDateUtc',
  'EndDateUtc',
  'BookedByFirstName',
  'BookedByLastName',
  'Comments',
  'DateBookedLocal',
  'DateCreatedUtc',
  'DateModifiedUtc',
  'UserLoginId',
  'Bookings',
]);

/** Booking-level elements of another source's booking shown to suppliers. */
const OTHER_BOOKING_FIELDS = new Set([
  'BookingSource',
  'BookingOwner',
  'DateBookedLocal',
  'DateCreatedUtc',
  'DateModifiedUtc',
  'Segments',
]);

const TRIP_DATE_FIELDS = ['StartDateLocal', 'EndDateLocal', 'StartDateUtc', 'EndDateUtc'];

/** Car's TripLink fields: where and when. */
const CAR_FIELDS = new Set([
  'StartCity',
  'StartCityCode',
  'StartCountry',
  'StartState',
  'EndCity',
  'EndCityCode',
  'EndCountry',
  'EndState',
  'StartDateLocal',
  'EndDateLocal',
  'StartDateUtc',
  'EndDateUtc',
  'TimeZone',
]);

/**
 * Segment elements of another source's booking shown to suppliers: ITIN's TripLink column
 * ("Y"). Ride has no marks in ITIN; it gets Car's place-and-time set (COMPATIBILITY.md). Air
 * gates and terminals are marked "Y" but removed for non-owners (ITIN "AirBooking Elements").
 */
const OTHER_SEGMENT_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  Air: new Set([
    'Vendor',
    'FlightNumber',
    'StartCityCode',
    'EndCityCode',
    'StartDateLocal',
    'EndDateLocal',
    'StartDateUtc',
    'EndDateUtc',
    'TimeZone',
  ]),
  Car: CAR_FIELDS,
  Hotel: new Set([
    'StartCity',
    'StartCityCode',
    'StartCountry',
    'StartDateLocal',
    'EndDateLocal',
    'StartDateUtc',
    'EndDateUtc',
    'Status',
    'TimeZone',
    'DateCreatedUtc',
    'DateModifiedUtc',
  ]),
  Ride: CAR_FIELDS,
};

/** The audience of a caller: suppliers get the TripLink view, everyone else the full trip. */
export function audienceOf(principal: Principal): Audience {
  return principal.app.kind === 'supplier'
    ? { kind: 'supplier', bookingSource: principal.app.bookingSource }
    : { kind: 'full' };
}

/** True when booking sources match (compared trimmed and case-insensitively). */
export function sameBookingSource(a: string | null | undefined, b: string | null | undefined) {
  if (!a || !b) return false;
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** True when the audience owns a booking (a supplier posting under its booking source). */
export function ownsBooking(audience: Audience, booking: XmlNode): boolean {
  return (
    audience.kind === 'supplier' &&
    sameBookingSource(leaf(booking, 'BookingSource'), audience.bookingSource)
  );
}

/** `2024-03-01T09:15:00` → `2024-03-01T00:00:00` (other values unchanged). */
function midnight(value: string): string {
  return /^\d{4}-\d{2}-\d{2}T/.test(value) ? `${value.slice(0, 10)}T00:00:00` : value;
}

function pick(node: XmlNode, fields: ReadonlySet<string>): XmlNode {
  const picked: XmlNode = {};
  for (const [name, value] of Object.entries(node)) {
    if (fields.has(name)) picked[name] = value;
  }
  return picked;
}

/**
 * One segment as a supplier sees it: undefined for a type suppliers never see, the whole
 * segment in a booking it owns, the TripLink subset in another's.
 */
export function supplierSegment(item: XmlListItem, owned: boolean): XmlListItem | undefined {
  if (!SUPPLIER_SEGMENT_TYPES.includes(item.element)) return undefined;
  if (owned) return item;
  const node = pick(item.node, OTHER_SEGMENT_FIELDS[item.element] ?? new Set());
  if (item.element === 'Air') {
    for (const name of TRIP_DATE_FIELDS) {
      const value = leaf(node, name);
      if (value !== undefined) node[name] = midnight(value);
    }
  }
  return { element: item.element, node };
}

function supplierSegments(booking: XmlNode, owned: boolean): XmlListItem[] {
  const visible: XmlListItem[] = [];
  for (const item of list(booking, 'Segments')) {
    const shown = supplierSegment(item, owned);
    if (shown) visible.push(shown);
  }
  return visible;
}

/** A booking as `audience` sees it (the booking itself for a full audience). */
export function visibleBooking(booking: XmlNode, audience: Audience): XmlNode {
  return audience.kind === 'full' ? booking : supplierBooking(booking, audience);
}

function supplierBooking(booking: XmlNode, audience: Audience): XmlNode {
  const owned = ownsBooking(audience, booking);
  const node = owned ? { ...booking } : pick(booking, OTHER_BOOKING_FIELDS);
  if (booking.Segments !== undefined) node.Segments = supplierSegments(booking, owned);
  return node;
}

/**
 * The trip as `audience` may see it. Returns `view` itself for a full audience; otherwise a
 * new view (the input is not changed) without a stored rendering, since that is the full one.
 */
export function visibleTrip(view: TripView, audience: Audience): TripView {
  if (audience.kind === 'full') return view;
  const document = pick(view.document, SUPPLIER_TRIP_FIELDS);
  const bookings = view.bookings.map((booking) => supplierBooking(booking, audience));
  // Trip start and end come from every segment, the hidden ones and other airlines' flight
  // times included: only their dates are shown when the trip holds bookings of others.
  if (view.bookings.some((booking) => !ownsBooking(audience, booking))) {
    for (const name of TRIP_DATE_FIELDS) {
      const value = leaf(document, name);
      if (value !== undefined) document[name] = midnight(value);
    }
  }
  return { id: view.id, status: view.status, document, bookings, owner: view.owner };
}

/**
 * The list summary of a trip as `audience` may see it: a supplier sees its own booking source
 * and record locators only, and no passenger names (those of other bookings are hidden).
 */
export function visibleSummary(summary: TripSummary, audience: Audience): TripSummary {
  if (audience.kind === 'full') return summary;
  const own = (summary.bookingKeys ?? []).filter(([source]) =>
    sameBookingSource(source, audience.bookingSource),
  );
  // As in details: only the dates of a trip that holds others' bookings.
  const dateOnly = own.length < (summary.bookingKeys?.length ?? 1);
  const date = (value: string | undefined) => (value && dateOnly ? midnight(value) : value);
  return {
    startLocal: date(summary.startLocal),
    endLocal: date(summary.endLocal),
    bookingSources: [...new Set(own.map(([source]) => source))],
    recordLocators: [...new Set(own.map(([, locator]) => locator))],
    passengers: [],
  };
}
