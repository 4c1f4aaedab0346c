/**
 * What each kind of app may write (SPEC §1.1, §3, docs/ACCESS.md). Which trips a caller may
 * reach at all (company, owner, agency) is checked by the trip service; these rules add what
 * the app's kind allows:
 *
 * - partner (third-party) apps only read;
 * - a TripLink supplier posts only bookings under its own BookingSource, with segments of its
 *   travel types among Air, Car, Hotel and Ride, and changes or cancels a trip only when every
 *   booking in it is its own;
 * - a TMC app does not reach trips created by another agency's TMC app (agency-rule.ts).
 */
import { errors } from '../../../errors.js';
import { leaf, list, type XmlNode } from '../../../xml/document.js';
import type { Principal } from '../../accounts/index.js';
import { SUPPLIER_SEGMENT_TYPES, sameBookingSource } from './trip-visibility.js';

/** Refuses writes from apps that may only read. */
export function assertMayWrite(principal: Principal): void {
  if (principal.app.kind === 'partner') {
    throw errors.forbidden(
      `The application '${principal.app.name}' may read trips but not create, change or cancel them.`,
    );
  }
}

/** Travel types a supplier may post: its registered types among those suppliers may use. */
function supplierTravelTypes(principal: Principal): string[] {
  return principal.app.travelTypes.filter((t) => SUPPLIER_SEGMENT_TYPES.includes(t));
}

/**
 * Checks the bookings of a posted trip against the app's rights: a supplier posts under its
 * own BookingSource and only segments of its travel types.
 */
export function assertMayPostBookings(principal: Principal, bookings: readonly XmlNode[]): void {
  assertMayWrite(principal);
  if (principal.app.kind !== 'supplier') return;
  const own = principal.app.bookingSource;
  if (!own) {
    throw errors.forbidden(
      `The supplier application '${principal.app.name}' has no booking source registered, so it cannot post bookings.`,
    );
  }
  const allowed = supplierTravelTypes(principal);
  bookings.forEach((booking, index) => {
    const source = leaf(booking, 'BookingSource');
    if (!sameBookingSource(source, own)) {
      throw errors.forbidden(
        `Booking ${index + 1} has BookingSource '${source ?? ''}'; this supplier may post only under '${own}'.`,
      );
    }
    for (const segment of list(booking, 'Segments')) {
      if (!allowed.includes(segment.element)) {
        throw errors.forbidden(
          `Booking ${index + 1} holds a ${segment.element} segment; this supplier may post only ${allowed.join(', ') || 'no'} segments.`,
        );
      }
    }
  });
}

/**
 * Checks the app may change or cancel a stored trip: a supplier only when every booking in it
 * carries its BookingSource (a full replace or a cancel would otherwise touch others' bookings).
 */
export function assertMayChangeTrip(
  principal: Principal,
  tripId: string,
  storedSources: readonly string[],
): void {
  assertMayWrite(principal);
  if (principal.app.kind !== 'supplier') return;
  const foreign = storedSources.find(
    (source) => !sameBookingSource(source, principal.app.bookingSource),
  );
  if (foreign !== undefined) {
    throw errors.forbidden(
      `The trip '${tripId}' holds bookings of '${foreign}'; a supplier may change or cancel only trips made of its own bookings.`,
    );
  }
}
