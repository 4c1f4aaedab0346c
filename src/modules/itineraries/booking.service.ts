/**
 * Posting bookings (SPEC §2.6): the merge engine. Every decision and write for one traveller
 * happens in one unit of work under that traveller's lock, so parallel posts end exactly as
 * some serial order of them would (docs/MERGE.md).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, UserRow } from '../../db/database.js';
import { formatUtc } from '../../domain/dates.js';
import {
  assignLegIds,
  bookingIdentity,
  type PreparedBooking,
  prepareBooking,
  segmentsOf,
} from '../../domain/trip-derivation.js';
import { TripStatus } from '../../domain/trip-status.js';
import type { XmlNode } from '../../xml/document.js';
import { type Principal, type UserSelector, WRITE_ADMIN_ROLES } from '../accounts/index.js';
import { agencyOf, agencyOfNewTrip, hiddenByAgency } from './access/agency-rule.js';
import { loadAccessibleTrip, resolveActingUser, resolveTripOwner } from './access/trip-access.js';
import { assertMayPostBookings } from './access/write-permissions.js';
import { chooseTrip, newBookingTrip, rebuildTrip } from './rules/booking-merge.js';
import { setAsideCancelledSegments } from './rules/cancellation.js';
import { guestKeyOf } from './rules/guest-bookings.js';
import type { BookingRecord, TripRecord } from './rules/records.js';
import { checkSegmentTimeZones } from './rules/segment-zones.js';
import { newBookingId } from './rules/trip-ids.js';
import { bookingOwnerFor, validateBookingIdentity } from './rules/trip-plan.js';
import type { TripView } from './rules/trip-view.js';
import {
  deleteBooking,
  deleteBookingsOfTrip,
  findBookingsByIdentity,
  findBookingsOfTrip,
  insertBookings,
  moveBookings,
  updateBooking,
} from './store/booking.repository.js';
import { deleteTrip, findTripById } from './store/trip.repository.js';
import { findOverlappingTrips } from './store/trip-overlap.repository.js';
import type { TravellerWrites, WriteHooks } from './traveller-writes.js';
import { snapshotTrip, type TripChangeBatch } from './trip-changes.js';
import type { TripWriteBack } from './trip-write-back.js';

/** Trip statuses a posted booking may join: live trips, not cancelled, virtual or proposals. */
const MERGEABLE_STATUSES = [TripStatus.Confirmed, TripStatus.Ticketed];

/** What placing a booking needs to know about the call. */
interface Placement {
  principal: Principal;
  owner: UserRow;
  existing: BookingRecord | undefined;
  tripId: string | undefined;
  /** The booking's guest key (null: the traveller's own); it joins only trips of the same. */
  guestKey: string | null;
  now: number;
  /** The write's change reports; undefined when the company has no subscriber. */
  changes: TripChangeBatch | undefined;
  /** Ids of the bookings moved into the chosen trip from trips it absorbed. */
  moved: Set<string>;
}

/** Sets a re-posted booking's creation time back to the first post's. */
function keepCreatedAt(prepared: PreparedBooking, createdAt: number): void {
  const created = formatUtc(createdAt);
  prepared.createdAt = createdAt;
  prepared.document.DateCreatedUtc = created;
  for (const segment of segmentsOf(prepared.document)) segment.node.DateCreatedUtc = created;
}

/** The position after a trip's last booking. */
function nextPosition(bookings: readonly BookingRecord[]): number {
  return bookings.reduce((max, b) => Math.max(max, b.position + 1), 0);
}

export class BookingService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly writes: TravellerWrites,
    private readonly writeBack: TripWriteBack,
  ) {}

  /**
   * Creates or replaces a booking (identity: traveller, BookingSource, RecordLocator) and
   * returns the trip that holds it. With `tripId` the booking goes into that trip; without, it
   * stays where it already is, or joins the trip its dates overlap, or starts a new trip.
   * `baseUrl` is the service's base URL as the caller reached it (notifications link the trip).
   */
  async post(
    principal: Principal,
    selector: UserSelector,
    booking: XmlNode,
    tripId: string | undefined,
    baseUrl: string,
    hooks?: WriteHooks<TripView>,
  ): Promise<TripView> {
    const { source, recordLocator } = validateBookingIdentity(booking, 'Booking');
    checkSegmentTimeZones(booking, 'Booking');
    assertMayPostBookings(principal, [booking]);
    const owner =
      tripId !== undefined
        ? await resolveTripOwner(this.db, principal, selector, tripId, WRITE_ADMIN_ROLES)
        : await resolveActingUser(this.db, principal, selector, WRITE_ADMIN_ROLES);
    // One time for the whole post, taken before the lock, as the booking is prepared outside.
    const now = Date.now();
    setAsideCancelledSegments(booking, now);
    const prepared = prepareBooking(booking, { bookingOwner: bookingOwnerFor(principal.app), now });
    const guestKey = guestKeyOf(prepared.document, owner);

    return this.writes.with(hooks).run(owner, baseUrl, async (trx, { changes }) => {
      const existing = await this.reachableCopy(trx, principal, owner, source, recordLocator);
      if (existing) keepCreatedAt(prepared, existing.createdAt);
      const moved = new Set<string>();
      const placement = { principal, owner, existing, tripId, guestKey, now, changes, moved };
      const { trip, isNew } = await this.placeBooking(trx, placement, prepared);
      const stored = isNew ? [] : await findBookingsOfTrip(trx, trip.id);
      // The chosen trip as it was: without the bookings it just absorbed (they are reported
      // as added to it), copied before the rebuild below changes the loaded documents.
      const before =
        changes && !isNew
          ? snapshotTrip(
              trip,
              stored.filter((b) => !moved.has(b.id)),
              owner,
            )
          : undefined;
      const identity = bookingIdentity(source, recordLocator);
      const same = stored.find((b) => bookingIdentity(b.source, b.recordLocator) === identity);
      const others = stored.filter((b) => b !== same);
      // New flights are numbered after the trip's (stored flights already carry their LegId).
      assignLegIds([...others.map((b) => b.document), prepared.document]);
      const record: BookingRecord = {
        ...prepared,
        id: same?.id ?? newBookingId(),
        tripId: trip.id,
        companyId: owner.company_id,
        ownerId: owner.id,
        appId: principal.app.id,
        position: same?.position ?? nextPosition(stored),
        modifiedAt: now,
        guestKey,
      };
      // The booking where it was (same position), the others in their order.
      const ordered = same ? stored.map((b) => (b === same ? record : b)) : [...stored, record];
      const rebuilt = rebuildTrip(trip, ordered, now);
      const state = { ...rebuilt, bookings: ordered.map((b) => b.document) };
      const view = isNew
        ? await this.writeBack.insert(trx, this.writeBack.prepare(state, owner))
        : await this.writeBack.update(trx, state, owner, { bounded: true });
      if (same) {
        await updateBooking(trx, same.id, {
          document: record.document,
          startAt: record.startAt,
          endAt: record.endAt,
          segmentTypes: record.segmentTypes,
          modifiedAt: now,
          appId: record.appId,
          guestKey,
        });
      } else {
        await insertBookings(trx, [record]);
      }
      await changes?.record(trx, {
        eventType: isNew ? 'CREATE' : 'UPDATE',
        tripId: trip.id,
        agencyId: trip.agencyId,
        owner,
        before,
        after: view,
        now,
      });
      return view;
    });
  }

  /**
   * The oldest copy of a booking the caller can reach: a TMC app does not touch a booking in
   * another agency's trip (it gets its own copy instead).
   */
  private async reachableCopy(
    trx: Transaction<Database>,
    principal: Principal,
    owner: UserRow,
    source: string,
    recordLocator: string,
  ): Promise<BookingRecord | undefined> {
    const copies = await findBookingsByIdentity(trx, owner.id, source, recordLocator);
    if (agencyOf(principal.app) === null) return copies[0];
    for (const copy of copies) {
      const trip = await findTripById(trx, copy.tripId);
      if (trip && !hiddenByAgency(principal.app, trip.agencyId)) return copy;
    }
    return undefined;
  }

  /**
   * The trip a booking goes into, after moving what the merge requires: the given trip, the
   * booking's current trip, the overlapping trip (joining the booking-made trips it bridges),
   * or a new trip.
   */
  private async placeBooking(
    trx: Transaction<Database>,
    placement: Placement,
    booking: PreparedBooking,
  ): Promise<{ trip: TripRecord; isNew: boolean }> {
    const { principal, owner, existing, tripId, guestKey, now, changes } = placement;
    if (tripId !== undefined) {
      const trip = await loadAccessibleTrip(trx, principal, tripId, owner, WRITE_ADMIN_ROLES);
      if (existing && existing.tripId !== trip.id) await this.takeOut(trx, existing, placement);
      return { trip, isNew: false };
    }
    if (existing) {
      const trip = await findTripById(trx, existing.tripId);
      if (trip) return { trip, isNew: false };
    }
    if (booking.startAt !== null) {
      const candidates = await findOverlappingTrips(trx, {
        companyId: owner.company_id,
        ownerId: owner.id,
        from: booking.startAt,
        to: booking.endAt ?? booking.startAt,
        statuses: MERGEABLE_STATUSES,
        agencyId: agencyOf(principal.app) ?? undefined,
        guestKey,
      });
      const { target, absorbed } = chooseTrip(candidates);
      if (target) {
        for (const other of absorbed) {
          const next = nextPosition(await findBookingsOfTrip(trx, target.id));
          if (changes) {
            // The absorbed trip is gone: its subscribers hear CANCEL, pointing to the trip
            // that now holds its bookings (docs/NOTIFICATIONS.md).
            const leaving = await findBookingsOfTrip(trx, other.id);
            for (const b of leaving) placement.moved.add(b.id);
            await changes.record(trx, {
              eventType: 'CANCEL',
              tripId: other.id,
              agencyId: other.agencyId,
              owner,
              before: snapshotTrip(other, leaving, owner),
              mergedInto: target.id,
              now,
            });
          }
          await moveBookings(trx, other.id, target.id, next);
          await deleteBookingsOfTrip(trx, other.id);
          await deleteTrip(trx, other.id);
        }
        return { trip: target, isNew: false };
      }
    }
    const agencyId = agencyOfNewTrip(principal.app);
    return { trip: newBookingTrip(owner, agencyId, booking, now), isNew: true };
  }

  /** Removes a booking from the trip it leaves; a booking-made trip left empty goes too. */
  private async takeOut(
    trx: Transaction<Database>,
    leaving: BookingRecord,
    { owner, now, changes }: Placement,
  ): Promise<void> {
    await deleteBooking(trx, leaving.id);
    const trip = await findTripById(trx, leaving.tripId);
    if (!trip) return;
    const remaining = await findBookingsOfTrip(trx, trip.id);
    const before = changes && snapshotTrip(trip, [...remaining, leaving], owner);
    const change = { tripId: trip.id, agencyId: trip.agencyId, owner, before, now };
    if (remaining.length === 0 && trip.origin === 'booking') {
      await deleteTrip(trx, trip.id);
      await changes?.record(trx, { ...change, eventType: 'CANCEL' });
      return;
    }
    const rebuilt = rebuildTrip(trip, remaining, now);
    const view = await this.writeBack.update(
      trx,
      { ...rebuilt, bookings: remaining.map((b) => b.document) },
      owner,
    );
    await changes?.record(trx, { ...change, eventType: 'UPDATE', after: view });
  }
}
