/**
 * `POST /api/travel/booking/v1.1/UpdateCoupon`: an air supplier (or a TMC) moves a ticket
 * coupon to another status (OPEN, USED, …). The booking holding the ticket is found by ticket
 * number among the bookings the caller reaches, through the ticket index (air_tickets, kept by
 * the trip write-back): the trips of the caller's companies holding the number, then their
 * bookings; every stored copy of it is changed, each trip
 * holding one rebuilt and reported as updated, in one unit of work under the traveller's lock
 * (traveller-writes.ts), so the write is all-or-nothing.
 *
 * Who may: the booking's own supplier (the app's booking source is the booking's
 * `BookingSource`) or a TMC app; partners never write. A user token without an admin role
 * reaches only its user's bookings; company tokens and administrators, their companies'.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database.js';
import { formatUtc } from '../../../domain/dates.js';
import { errors } from '../../../errors.js';
import { leaf, type XmlNode } from '../../../xml/document.js';
import { findUserById, isAdmin, type Principal, WRITE_ADMIN_ROLES } from '../../accounts/index.js';
import { hiddenByAgency } from '../access/agency-rule.js';
import { sameBookingSource } from '../access/trip-visibility.js';
import { assertMayWrite } from '../access/write-permissions.js';
import { rebuildTrip } from '../rules/booking-merge.js';
import type { BookingRecord } from '../rules/records.js';
import { findBookingsOfTrip, updateBooking } from '../store/booking.repository.js';
import { findTripById } from '../store/trip.repository.js';
import type { TravellerWrites, WriteHooks } from '../traveller-writes.js';
import { snapshotTrip } from '../trip-changes.js';
import type { TripWriteBack } from '../trip-write-back.js';
import { findTripsHoldingTicket } from './air-ticket.repository.js';
import { applyCoupon, type CouponRequest, findTicket, readCouponRequest } from './coupon-rules.js';

/** The outcome: the booking holding the ticket, the ticket's coupon as stored now. */
export interface UpdatedCoupon {
  recordLocator: string;
  request: CouponRequest;
  coupon: XmlNode;
  /** False when the coupon already held every value sent (nothing written or reported). */
  changed: boolean;
}

export class UpdateCouponService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly writes: TravellerWrites,
    private readonly writeBack: TripWriteBack,
  ) {}

  /**
   * Applies the coupon update `document` (the request's `<Booking>`). 400 for a request
   * missing what identifies the coupon, 404 when no reachable booking holds the ticket or the
   * ticket has no such coupon, 403 when the caller may not change that booking, 409 when the
   * ticket number is held by bookings of several travellers. `baseUrl`: the service's base URL
   * as the caller reached it (notifications link the trip).
   */
  async update(
    principal: Principal,
    document: XmlNode,
    baseUrl: string,
    hooks?: WriteHooks<UpdatedCoupon>,
  ): Promise<UpdatedCoupon> {
    assertMayWrite(principal);
    const request = readCouponRequest(document);
    const found = await this.reachableBookings(this.db, principal, request);
    if (found.length === 0) throw errors.ticketNotFound(request.ticketNumber);
    assertMayChangeCoupons(principal, found, request.ticketNumber);
    const ownerIds = new Set(found.map((b) => b.ownerId));
    if (ownerIds.size > 1) {
      throw errors.conflict(
        `The airline ticket '${request.ticketNumber}' is held by bookings of several travellers; it cannot be told which to update.`,
      );
    }
    const owner = await findUserById(this.db, found[0]?.ownerId ?? '');
    if (!owner) throw errors.ticketNotFound(request.ticketNumber);

    return this.writes.with(hooks).run(owner, baseUrl, async (trx, { now, changes }) => {
      // Read again under the lock: a write may have changed or moved the bookings meanwhile.
      const bookings = (await this.reachableBookings(trx, principal, request)).filter(
        (b) => b.ownerId === owner.id,
      );
      if (bookings.length === 0) throw errors.ticketNotFound(request.ticketNumber);
      assertMayChangeCoupons(principal, bookings, request.ticketNumber);
      let result: UpdatedCoupon | undefined;
      for (const booking of bookings) {
        const ticket = findTicket(booking.document, request) as XmlNode;
        const { coupon, changed } = applyCoupon(ticket, request);
        result ??= { recordLocator: booking.recordLocator, request, coupon, changed };
        if (!changed) continue;
        result.changed = true;
        const trip = await findTripById(trx, booking.tripId);
        if (!trip) continue;
        const stored = await findBookingsOfTrip(trx, trip.id);
        // Only with subscribers: the trip as it was, copied before it changes.
        const before = changes && snapshotTrip(trip, stored, owner);
        booking.document.DateModifiedUtc = formatUtc(now);
        await updateBooking(trx, booking.id, { document: booking.document, modifiedAt: now });
        const current = stored.map((b) =>
          b.id === booking.id ? { ...b, document: booking.document, modifiedAt: now } : b,
        );
        const rebuilt = rebuildTrip(trip, current, now);
        const after = await this.writeBack.update(
          trx,
          { ...rebuilt, bookings: current.map((b) => b.document) },
          owner,
        );
        await changes?.record(trx, {
          eventType: 'UPDATE',
          tripId: trip.id,
          agencyId: trip.agencyId,
          owner,
          before,
          after,
          now,
        });
      }
      return result as UpdatedCoupon;
    });
  }

  /** The bookings holding the ticket that the caller reaches (company, owner, agency). */
  private async reachableBookings(
    db: Kysely<Database>,
    principal: Principal,
    request: CouponRequest,
  ): Promise<BookingRecord[]> {
    const ownOnly = principal.kind === 'user' && !isAdmin(principal, WRITE_ADMIN_ROLES);
    const ownerId = ownOnly ? principal.user?.id : undefined;
    if (ownOnly && ownerId === undefined) return [];
    const reachable: BookingRecord[] = [];
    const companies = new Set(principal.companyIds);
    for (const tripId of await findTripsHoldingTicket(
      db,
      principal.companyIds,
      request.ticketNumber,
    )) {
      if (principal.app.kind === 'tmc') {
        // Another agency's trips are out of a TMC app's reach, their bookings too.
        const trip = await findTripById(db, tripId);
        if (!trip || hiddenByAgency(principal.app, trip.agencyId)) continue;
      }
      for (const booking of await findBookingsOfTrip(db, tripId)) {
        if (!companies.has(booking.companyId)) continue;
        if (ownerId !== undefined && booking.ownerId !== ownerId) continue;
        if (findTicket(booking.document, request)) reachable.push(booking);
      }
    }
    // Oldest first, as the answer names the first booking holding the ticket.
    return reachable.sort(
      (a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
  }
}

/** A supplier changes coupons of its own bookings only (403 otherwise); a TMC app, any. */
function assertMayChangeCoupons(
  principal: Principal,
  bookings: readonly BookingRecord[],
  ticketNumber: string,
): void {
  if (principal.app.kind !== 'supplier') return;
  const own = principal.app.bookingSource;
  for (const booking of bookings) {
    const source = leaf(booking.document, 'BookingSource') ?? booking.source;
    if (!sameBookingSource(source, own)) {
      throw errors.forbidden(
        `The airline ticket '${ticketNumber}' is in a booking of '${source}'; this supplier may update coupons of its own bookings ('${own ?? ''}') only.`,
      );
    }
  }
}
