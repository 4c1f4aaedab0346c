/**
 * Posting and cancelling bookings (NOTES §2.6, §2.7): the merge engine. Every decision and
 * write for one traveller happens in one transaction under that traveller's lock, so parallel
 * posts end exactly as some serial order of them would (docs/MERGE.md).
 */

import type { Kysely, Transaction } from 'kysely';
import type { DatabaseHandle } from '../../db/connect.js';
import type { BookingRow, Database, TripRow, UserRow } from '../../db/database.js';
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
import { type UserSelector, WRITE_ADMIN_ROLES } from '../accounts/acting-user.service.js';
import type { Principal } from '../accounts/principal.js';
import {
  type NotificationBatch,
  type NotificationOutbox,
  snapshotTrip,
} from '../notifications/outbox/notification-outbox.js';
import { loadAccessibleTrip, resolveActingUser, resolveTripOwner } from './access/trip-access.js';
import { assertMayPostBookings, hiddenByAgency } from './access/write-permissions.js';
import {
  chooseTrip,
  newBookingTrip,
  preparedFromRow,
  rebuildTrip,
  setAsideCancelledSegments,
} from './rules/booking-merge.js';
import { newBookingId } from './rules/trip-ids.js';
import { bookingOwnerFor, validateBookingIdentity } from './rules/trip-plan.js';
import type { TripRenderer, TripView } from './rules/trip-view.js';
import { typesColumn } from './rules/trip-view.js';
import {
  deleteBooking,
  deleteTrip,
  findBookingsByIdentity,
  findOverlappingTrips,
  insertBooking,
  moveBookings,
  updateBooking,
} from './store/booking.repository.js';
import {
  findBookingsOfTrip,
  findTripById,
  TripInserts,
  updateTrip,
} from './store/trip.repository.js';
import { storeRebuiltTrip } from './trip-write-back.js';

/** Trip statuses a posted booking may join: live trips, not cancelled, virtual or proposals. */
const MERGEABLE_STATUSES = [TripStatus.Confirmed, TripStatus.Ticketed];

/** What placing a booking needs to know about the call. */
interface Placement {
  principal: Principal;
  owner: UserRow;
  existing: BookingRow | undefined;
  tripId: string | undefined;
  render: TripRenderer;
  now: number;
  /** The write's notifications; undefined when the company has no subscriber. */
  notes: NotificationBatch | undefined;
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

export class BookingService {
  private readonly db: Kysely<Database>;

  private readonly inserts: TripInserts;

  /** `outbox`: where trip changes are reported to subscribers (none: nothing is reported). */
  constructor(
    private readonly database: DatabaseHandle,
    private readonly outbox?: NotificationOutbox,
  ) {
    this.db = database.db;
    this.inserts = new TripInserts(database.db);
  }

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
    render: TripRenderer,
    baseUrl: string,
  ): Promise<TripView> {
    const { source, recordLocator } = validateBookingIdentity(booking, 'Booking');
    assertMayPostBookings(principal, [booking]);
    const owner =
      tripId !== undefined
        ? await resolveTripOwner(this.db, principal, selector, tripId, WRITE_ADMIN_ROLES)
        : await resolveActingUser(this.db, principal, selector, WRITE_ADMIN_ROLES);
    const now = Date.now();
    setAsideCancelledSegments(booking, now);
    const prepared = prepareBooking(booking, { bookingOwner: bookingOwnerFor(principal), now });

    return this.write(owner, async (trx) => {
      const notes = await this.outbox?.open(trx, owner.company_id, baseUrl);
      const existing = await this.reachableCopy(trx, principal, owner, source, recordLocator);
      if (existing) keepCreatedAt(prepared, existing.created_at);
      const moved = new Set<string>();
      const placement = { principal, owner, existing, tripId, render, now, notes, moved };
      const { trip, isNew } = await this.placeBooking(trx, placement, prepared);
      const rows = isNew ? [] : await findBookingsOfTrip(trx, trip.id);
      // The chosen trip as it was: without the bookings it just absorbed (they are reported
      // as added to it), copied before the rebuild below changes the loaded documents.
      const before =
        notes && !isNew
          ? snapshotTrip(
              trip,
              rows.filter((r) => !moved.has(r.id)),
              owner,
            )
          : undefined;
      const same = rows.find(
        (r) =>
          bookingIdentity(r.source, r.record_locator) === bookingIdentity(source, recordLocator),
      );
      const others = rows.filter((r) => r !== same).map((r) => preparedFromRow(r));
      // New flights are numbered after the trip's (stored flights already carry their LegId).
      assignLegIds([...others.map((b) => b.document), prepared.document]);
      const values = {
        document: JSON.stringify(prepared.document),
        start_at: prepared.startAt,
        end_at: prepared.endAt,
        segment_types: typesColumn(prepared.segmentTypes),
        modified_at: now,
        app_id: principal.app.id,
      };
      // The booking where it was (same position), the others in their order.
      const ordered = same
        ? rows.map((r) => (r === same ? prepared : preparedFromRow(r)))
        : [...others, prepared];
      const rebuilt = rebuildTrip(trip, ordered, owner, render, now);
      // A new trip is written once, complete (its bookings refer to it).
      if (isNew) await this.inserts.insertTrip(trx, { ...trip, ...rebuilt.row });
      else await updateTrip(trx, trip.id, rebuilt.row);
      if (same) {
        await updateBooking(trx, same.id, values);
      } else {
        await insertBooking(trx, {
          ...values,
          id: newBookingId(),
          trip_id: trip.id,
          company_id: owner.company_id,
          owner_id: owner.id,
          source,
          record_locator: recordLocator,
          position: rows.reduce((max, r) => Math.max(max, r.position + 1), 0),
          created_at: prepared.createdAt,
        });
      }
      await notes?.record(trx, {
        eventType: isNew ? 'CREATE' : 'UPDATE',
        tripId: trip.id,
        agencyId: trip.agency_id,
        owner,
        before,
        after: rebuilt.view,
        now,
      });
      return rebuilt.view;
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
  ): Promise<BookingRow | undefined> {
    const copies = await findBookingsByIdentity(trx, owner.id, source, recordLocator);
    if (principal.app.kind !== 'tmc' || principal.app.agencyId === null) return copies[0];
    for (const copy of copies) {
      const trip = await findTripById(trx, copy.trip_id);
      if (trip && !hiddenByAgency(principal, trip.agency_id)) return copy;
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
  ): Promise<{ trip: TripRow; isNew: boolean }> {
    const { principal, owner, existing, tripId, now, notes } = placement;
    if (tripId !== undefined) {
      const trip = await loadAccessibleTrip(trx, principal, tripId, owner, WRITE_ADMIN_ROLES);
      if (existing && existing.trip_id !== trip.id) await this.takeOut(trx, existing, placement);
      return { trip, isNew: false };
    }
    if (existing) {
      const trip = await findTripById(trx, existing.trip_id);
      if (trip) return { trip, isNew: false };
    }
    if (booking.startAt !== null) {
      const candidates = await findOverlappingTrips(trx, {
        companyId: owner.company_id,
        ownerId: owner.id,
        from: booking.startAt,
        to: booking.endAt ?? booking.startAt,
        statuses: MERGEABLE_STATUSES,
        agencyId: (principal.app.kind === 'tmc' && principal.app.agencyId) || undefined,
      });
      const { target, absorbed } = chooseTrip(candidates);
      if (target) {
        for (const other of absorbed) {
          const rows = await findBookingsOfTrip(trx, target.id);
          const next = rows.reduce((max, r) => Math.max(max, r.position + 1), 0);
          if (notes) {
            // The absorbed trip is gone: its subscribers hear CANCEL, pointing to the trip
            // that now holds its bookings (docs/NOTIFICATIONS.md).
            const leaving = await findBookingsOfTrip(trx, other.id);
            for (const row of leaving) placement.moved.add(row.id);
            await notes.record(trx, {
              eventType: 'CANCEL',
              tripId: other.id,
              agencyId: other.agency_id,
              owner,
              before: snapshotTrip(other, leaving, owner),
              mergedInto: target.id,
              now,
            });
          }
          await moveBookings(trx, other.id, target.id, next);
          await deleteTrip(trx, other.id);
        }
        return { trip: target, isNew: false };
      }
    }
    return { trip: newBookingTrip(principal, owner, booking, now), isNew: true };
  }

  /** Removes a booking from the trip it leaves; a booking-made trip left empty goes too. */
  private async takeOut(
    trx: Transaction<Database>,
    row: BookingRow,
    { owner, render, now, notes }: Placement,
  ): Promise<void> {
    await deleteBooking(trx, row.id);
    const trip = await findTripById(trx, row.trip_id);
    if (!trip) return;
    const remaining = await findBookingsOfTrip(trx, trip.id);
    const before = notes && snapshotTrip(trip, [...remaining, row], owner);
    const change = { tripId: trip.id, agencyId: trip.agency_id, owner, before, now };
    if (remaining.length === 0 && trip.origin === 'booking') {
      await deleteTrip(trx, trip.id);
      await notes?.record(trx, { ...change, eventType: 'CANCEL' });
      return;
    }
    const view = await storeRebuiltTrip(
      trx,
      trip,
      remaining.map((r) => preparedFromRow(r)),
      owner,
      render,
      now,
    );
    await notes?.record(trx, { ...change, eventType: 'UPDATE', after: view });
  }

  private async write<T>(
    owner: UserRow,
    work: (trx: Transaction<Database>, now: number) => Promise<T>,
  ): Promise<T> {
    const result = await this.database.write(`traveller:${owner.id}`, (trx) =>
      work(trx, Date.now()),
    );
    this.outbox?.written();
    return result;
  }
}
