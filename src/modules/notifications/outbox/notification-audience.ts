/**
 * Which subscribed apps hear of a trip change, and what they may see of it: the read rules of
 * docs/ACCESS.md applied to a subscriber instead of a caller. One pure function.
 *
 * - A TMC app of another agency does not see the trip at all, so it gets nothing.
 * - A TripLink supplier hears of trips that hold one of its own bookings (under its
 *   BookingSource), before or after the change; its Context is its supplier view. Trips
 *   without its bookings are none of its business, even though a supplier company token could
 *   read them in the reduced view.
 * - Partners read every trip of the companies they serve; other TMC apps too: the full trip.
 */
import type { AppRow } from '../../../db/database.js';
import { leaf, type XmlNode } from '../../../xml/document.js';
import { type Audience, hiddenByAgency, sameBookingSource } from '../module-ports.js';

/** A subscribed app, as the audience rule needs it. */
export interface SubscriberApp {
  id: string;
  kind: AppRow['kind'];
  bookingSource: string | null;
  agencyId: string | null;
}

/** The trip around a change: its agency and the booking sources it held before and after. */
export interface ChangedTrip {
  agencyId: string | null;
  bookings: readonly XmlNode[];
}

/** The audience a subscriber gets the change in, or undefined when it must not hear of it. */
export function notificationAudience(app: SubscriberApp, trip: ChangedTrip): Audience | undefined {
  if (hiddenByAgency(app, trip.agencyId)) return undefined;
  if (app.kind !== 'supplier') return { kind: 'full' };
  const own = app.bookingSource;
  if (!own || !trip.bookings.some((b) => sameBookingSource(leaf(b, 'BookingSource'), own))) {
    return undefined;
  }
  return { kind: 'supplier', bookingSource: own };
}
