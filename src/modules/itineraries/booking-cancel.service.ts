/**
 * Cancelling bookings (SPEC §2.7): found by BookingSource and confirmation number, their
 * segments cancelled and their trips rebuilt, in one unit of work under the traveller's lock
 * (docs/MERGE.md).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { TripStatus } from '../../domain/trip-status.js';
import { errors } from '../../errors.js';
import type { XmlNode } from '../../xml/document.js';
import { type Principal, type UserSelector, WRITE_ADMIN_ROLES } from '../accounts/index.js';
import { hiddenByAgency } from './access/agency-rule.js';
import { resolveActingUser } from './access/trip-access.js';
import { sameBookingSource } from './access/trip-visibility.js';
import { assertMayWrite } from './access/write-permissions.js';
import { rebuildTrip } from './rules/booking-merge.js';
import { answersTo, cancelBooking } from './rules/cancellation.js';
import type { BookingRecord, TripRecord } from './rules/records.js';
import type { TripView } from './rules/trip-view.js';
import {
  findBookingsOfSource,
  findBookingsOfTrip,
  updateBooking,
} from './store/booking.repository.js';
import { findTripById } from './store/trip.repository.js';
import type { TravellerWrites, WriteHooks } from './traveller-writes.js';
import { snapshotTrip } from './trip-changes.js';
import type { TripWriteBack } from './trip-write-back.js';

/** A cancelled booking: its document (with the cancelled segments) and the trips holding it. */
export interface CancelledBooking {
  booking: XmlNode;
  trips: TripView[];
}

export class BookingCancelService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly writes: TravellerWrites,
    private readonly writeBack: TripWriteBack,
  ) {}

  /**
   * Cancels a booking found by BookingSource and confirmation number (the record locator, or a
   * segment's ConfirmationNumber): its segments are cancelled, its trips rebuilt. Only the
   * booking's source may cancel it when the caller is a supplier (SPEC §2.7). `baseUrl`: the
   * service's base URL as the caller reached it (notifications link the trip).
   */
  async cancel(
    principal: Principal,
    selector: UserSelector,
    bookingSource: string,
    confirmationNumber: string,
    baseUrl: string,
    hooks?: WriteHooks<CancelledBooking>,
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
    const owner = await resolveActingUser(this.db, principal, selector, WRITE_ADMIN_ROLES);
    return this.writes.with(hooks).run(owner, baseUrl, async (trx, { now, changes }) => {
      const found: { booking: BookingRecord; trip: TripRecord }[] = [];
      for (const booking of await findBookingsOfSource(trx, owner.id, bookingSource)) {
        if (!answersTo(booking, confirmationNumber)) continue;
        const trip = await findTripById(trx, booking.tripId);
        // Another agency's trips are out of a TMC app's reach, their bookings too.
        if (trip && !hiddenByAgency(principal.app, trip.agencyId)) found.push({ booking, trip });
      }
      if (found.length === 0) throw errors.bookingNotFound(bookingSource, confirmationNumber);
      let cancelled: XmlNode | undefined;
      const trips: TripView[] = [];
      for (const { booking, trip } of found) {
        const stored = await findBookingsOfTrip(trx, trip.id);
        // Only with subscribers: the trip as it was, copied before it changes.
        const before = changes && snapshotTrip(trip, stored, owner);
        const document = cancelBooking(booking.document, now);
        await updateBooking(trx, booking.id, {
          document,
          startAt: null,
          endAt: null,
          segmentTypes: [],
          modifiedAt: now,
          appId: booking.appId,
        });
        cancelled ??= document;
        const bookings = stored.map((b) =>
          b.id === booking.id
            ? { ...b, document, startAt: null, endAt: null, segmentTypes: [], modifiedAt: now }
            : b,
        );
        const rebuilt = rebuildTrip(trip, bookings, now);
        const after = await this.writeBack.update(
          trx,
          { ...rebuilt, bookings: bookings.map((b) => b.document) },
          owner,
        );
        trips.push(after);
        // CANCEL when this cancel cancelled the whole trip; UPDATE when some segments remain.
        const wholeTrip =
          after.status === TripStatus.Canceled && before?.status !== TripStatus.Canceled;
        await changes?.record(trx, {
          eventType: wholeTrip ? 'CANCEL' : 'UPDATE',
          tripId: trip.id,
          agencyId: trip.agencyId,
          owner,
          before,
          after,
          now,
        });
      }
      return { booking: cancelled as XmlNode, trips };
    });
  }
}
