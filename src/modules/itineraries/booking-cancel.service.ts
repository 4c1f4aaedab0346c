/**
 * Cancelling bookings (NOTES §2.7): found by BookingSource and confirmation number, their
 * segments cancelled and their trips rebuilt, under the traveller's lock (docs/MERGE.md).
 */
import type { DatabaseHandle } from '../../db/connect.js';
import type { BookingRow, TripRow } from '../../db/database.js';
import { readJson } from '../../db/database.js';
import { formatUtc } from '../../domain/dates.js';
import { segmentsOf } from '../../domain/trip-derivation.js';
import { TripStatus } from '../../domain/trip-status.js';
import { errors } from '../../errors.js';
import { leaf, list, type XmlNode } from '../../xml/document.js';
import { type UserSelector, WRITE_ADMIN_ROLES } from '../accounts/acting-user.service.js';
import type { Principal } from '../accounts/principal.js';
import {
  type NotificationOutbox,
  snapshotTrip,
} from '../notifications/outbox/notification-outbox.js';
import { resolveActingUser } from './access/trip-access.js';
import { sameBookingSource } from './access/trip-visibility.js';
import { assertMayWrite, hiddenByAgency } from './access/write-permissions.js';
import { CANCELLED_SEGMENTS, cancelSegments } from './rules/trip-plan.js';
import type { TripRenderer, TripView } from './rules/trip-view.js';
import { findBookingsOfSource, updateBooking } from './store/booking.repository.js';
import { findBookingsOfTrip, findTripById } from './store/trip.repository.js';
import { rebuildStoredTrip } from './trip-write-back.js';

/** A cancelled booking: its document (with the cancelled segments) and the trips holding it. */
export interface CancelledBooking {
  booking: XmlNode;
  trips: TripView[];
}

export class BookingCancelService {
  /** `outbox`: where trip changes are reported to subscribers (none: nothing is reported). */
  constructor(
    private readonly database: DatabaseHandle,
    private readonly outbox?: NotificationOutbox,
  ) {}

  /**
   * Cancels a booking found by BookingSource and confirmation number (the record locator, or a
   * segment's ConfirmationNumber): its segments are cancelled, its trips rebuilt. Only the
   * booking's source may cancel it when the caller is a supplier (NOTES §2.7). `baseUrl`: the
   * service's base URL as the caller reached it (notifications link the trip).
   */
  async cancel(
    principal: Principal,
    selector: UserSelector,
    bookingSource: string,
    confirmationNumber: string,
    render: TripRenderer,
    baseUrl: string,
  ): Promise<CancelledBooking> {
    assertMayWrite(principal);
    if (
      principal.app.kind === 'supplier' &&
      !sameBookingSource(bookingSource, principal.app.bookingSource)
    ) {
      throw errors.forbidden(
        `This supplier may cancel only bookings from '${principal.app.bookingSource ?? ''}'.`,
      );
    }
    const owner = await resolveActingUser(this.database.db, principal, selector, WRITE_ADMIN_ROLES);
    const result = await this.database.write(`traveller:${owner.id}`, async (trx) => {
      const now = Date.now();
      const found: { row: BookingRow; trip: TripRow }[] = [];
      for (const row of await findBookingsOfSource(trx, owner.id, bookingSource)) {
        if (!confirms(row, confirmationNumber)) continue;
        const trip = await findTripById(trx, row.trip_id);
        // Another agency's trips are out of a TMC app's reach, their bookings too.
        if (trip && !hiddenByAgency(principal, trip.agency_id)) found.push({ row, trip });
      }
      if (found.length === 0) throw errors.bookingNotFound(bookingSource, confirmationNumber);
      const notes = await this.outbox?.open(trx, owner.company_id, baseUrl);
      let cancelled: XmlNode | undefined;
      const trips: TripView[] = [];
      for (const { row, trip } of found) {
        // Only with subscribers: the trip as it was, copied before it changes.
        const before = notes && snapshotTrip(trip, await findBookingsOfTrip(trx, trip.id), owner);
        const document = cancelSegments(readJson<XmlNode>(row.document), now);
        for (const segment of list(document, CANCELLED_SEGMENTS)) {
          if (!leaf(segment.node, 'DateCancelledUtc'))
            segment.node.DateCancelledUtc = formatUtc(now);
        }
        await updateBooking(trx, row.id, {
          document: JSON.stringify(document),
          start_at: null,
          end_at: null,
          segment_types: '',
          modified_at: now,
          app_id: row.app_id,
        });
        cancelled ??= document;
        const after = await rebuildStoredTrip(trx, trip, owner, render, now);
        trips.push(after);
        // CANCEL when this cancel cancelled the whole trip; UPDATE when some segments remain.
        const wholeTrip =
          after.status === TripStatus.Canceled && before?.status !== TripStatus.Canceled;
        await notes?.record(trx, {
          eventType: wholeTrip ? 'CANCEL' : 'UPDATE',
          tripId: trip.id,
          agencyId: trip.agency_id,
          owner,
          before,
          after,
          now,
        });
      }
      return { booking: cancelled as XmlNode, trips };
    });
    this.outbox?.written();
    return result;
  }
}

/** True when a booking answers to a confirmation number: its record locator or a segment's. */
function confirms(row: BookingRow, confirmationNumber: string): boolean {
  if (row.record_locator === confirmationNumber) return true;
  const document = readJson<XmlNode>(row.document);
  return [...segmentsOf(document), ...list(document, CANCELLED_SEGMENTS)].some(
    (s) => leaf(s.node, 'ConfirmationNumber') === confirmationNumber,
  );
}
