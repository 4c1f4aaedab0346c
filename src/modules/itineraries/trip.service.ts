/**
 * Trip v1.1 writes and reads by id (SPEC §2.2–§2.5): create, full-replace update, cancel, and
 * opening a trip for its details. Every write runs as one unit of work under the traveller's
 * lock (traveller-writes.ts) and stores the trip through the one write-back (trip-write-back.ts).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, UserRow } from '../../db/database.js';
import { formatUtc } from '../../domain/dates.js';
import { TripStatus } from '../../domain/trip-status.js';
import type { XmlNode } from '../../xml/document.js';
import {
  type Principal,
  READ_ADMIN_ROLES,
  type UserSelector,
  WRITE_ADMIN_ROLES,
} from '../accounts/index.js';
import { agencyOfNewTrip } from './access/agency-rule.js';
import {
  accessibleTrip,
  loadAccessibleTrip,
  ownerOf,
  resolveActingUser,
  resolveTripOwner,
} from './access/trip-access.js';
import {
  assertMayChangeTrip,
  assertMayPostBookings,
  assertMayWrite,
} from './access/write-permissions.js';
import { cancelSegments } from './rules/cancellation.js';
import type { BookingRecord, TripOwner, TripRecord } from './rules/records.js';
import { newTripId, newTripLinkLocator } from './rules/trip-ids.js';
import { planTrip, postedBookings, validateItinerary } from './rules/trip-plan.js';
import { type TripView, tripViewOf } from './rules/trip-view.js';
import {
  deleteBookingsOfTrip,
  findBookingsOfTrip,
  insertBookings,
  updateBooking,
} from './store/booking.repository.js';
import { tripFromKept } from './store/trip.repository.js';
import type { TripReadCache } from './store/trip-read-cache.js';
import type { TravellerWrites, WriteHooks } from './traveller-writes.js';
import { snapshotTrip, type TripChangeBatch } from './trip-changes.js';
import type { TripWriteBack } from './trip-write-back.js';

/** A trip the caller may read: its stored rendering now, its documents on demand. */
export interface OpenedTrip {
  id: string;
  /** The stored version (for its ETag) and whose trip it is. */
  version: number;
  owner: TripOwner;
  rendering?: string;
  /**
   * The same object for every request answered from one kept read of the trip
   * (store/trip-read-cache.ts): a key for what is derived from it, such as rendered bytes.
   */
  readKey: object;
  load(): Promise<TripView>;
}

export class TripService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly writes: TravellerWrites,
    private readonly writeBack: TripWriteBack,
    private readonly reads: TripReadCache,
  ) {}

  /**
   * Creates a trip for the acting user. Posted trips never merge with existing trips.
   * `baseUrl` is the service's base URL as the caller reached it (notifications link the trip).
   */
  async create(
    principal: Principal,
    selector: UserSelector,
    itinerary: XmlNode,
    baseUrl: string,
    hooks?: WriteHooks<TripView>,
  ): Promise<TripView> {
    validateItinerary(itinerary);
    assertMayPostBookings(principal, postedBookings(itinerary));
    const owner = await resolveActingUser(this.db, principal, selector, WRITE_ADMIN_ROLES);
    const now = Date.now();
    const base: TripRecord = {
      id: newTripId(),
      companyId: owner.company_id,
      ownerId: owner.id,
      name: '',
      status: TripStatus.Confirmed,
      startAt: null,
      endAt: null,
      createdAt: now,
      modifiedAt: now,
      triplinkLocator: newTripLinkLocator(),
      agencyId: agencyOfNewTrip(principal.app),
      origin: 'trip',
      document: {},
      rendering: null,
      version: 1,
    };
    // All the work before the transaction: other writers (cluster workers) wait only for SQL.
    const plan = planTrip(base, itinerary, principal.app, owner, [], now);
    const rendered = this.writeBack.prepare(
      { ...plan, bookings: plan.bookings.map((b) => b.document) },
      owner,
    );
    return this.writes.with(hooks).run(owner, baseUrl, async (trx, { changes }) => {
      const view = await this.writeBack.insert(trx, rendered);
      await insertBookings(trx, plan.bookings);
      await changes?.record(trx, {
        eventType: 'CREATE',
        tripId: base.id,
        agencyId: base.agencyId,
        owner,
        after: view,
        now,
      });
      return view;
    });
  }

  /** Replaces a trip wholesale: bookings and segments not re-sent are removed (SPEC §2.4). */
  async update(
    principal: Principal,
    selector: UserSelector,
    tripId: string,
    itinerary: XmlNode,
    baseUrl: string,
    hooks?: WriteHooks<TripView>,
  ): Promise<TripView> {
    validateItinerary(itinerary);
    assertMayPostBookings(principal, postedBookings(itinerary));
    const owner = await resolveTripOwner(this.db, principal, selector, tripId, WRITE_ADMIN_ROLES);
    return this.writes.with(hooks).run(owner, baseUrl, async (trx, { now, changes }) => {
      const {
        trip,
        stored: existing,
        before,
      } = await loadForChange(trx, principal, tripId, owner, changes);
      hooks?.precondition?.({ id: trip.id, version: trip.version, owner });
      const plan = planTrip(trip, itinerary, principal.app, owner, existing, now);
      const view = await this.writeBack.update(
        trx,
        { ...plan, bookings: plan.bookings.map((b) => b.document) },
        owner,
        { bounded: true },
      );
      await deleteBookingsOfTrip(trx, tripId);
      await insertBookings(trx, plan.bookings);
      await changes?.record(trx, {
        eventType: 'UPDATE',
        tripId,
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
   * Checks the caller may read the trip and returns its stored rendering, with the loading of
   * its documents deferred: a caller that can send the rendering need not load them.
   */
  async open(principal: Principal, selector: UserSelector, tripId: string): Promise<OpenedTrip> {
    const target = await resolveActingUser(this.db, principal, selector, READ_ADMIN_ROLES);
    const kept = await this.reads.find(tripId);
    const stored = kept.row && tripFromKept(kept.row);
    const trip = accessibleTrip(principal, tripId, stored, target, READ_ADMIN_ROLES);
    const owner = await ownerOf(this.db, trip, target);
    return {
      id: trip.id,
      version: trip.version,
      owner,
      rendering: trip.rendering ?? undefined,
      readKey: kept,
      load: async () => tripViewOf(trip, await findBookingsOfTrip(this.db, tripId), owner),
    };
  }

  /** Cancels every segment of the trip; the trip and its bookings remain (SPEC §2.5). */
  async cancel(
    principal: Principal,
    selector: UserSelector,
    tripId: string,
    baseUrl: string,
    hooks?: WriteHooks<TripView>,
  ): Promise<TripView> {
    assertMayWrite(principal);
    const owner = await resolveTripOwner(this.db, principal, selector, tripId, WRITE_ADMIN_ROLES);
    return this.writes.with(hooks).run(owner, baseUrl, async (trx, { now, changes }) => {
      const { trip, stored, before } = await loadForChange(trx, principal, tripId, owner, changes);
      hooks?.precondition?.({ id: trip.id, version: trip.version, owner });
      const bookings: XmlNode[] = [];
      for (const booking of stored) {
        const document = cancelSegments(booking.document, now);
        await updateBooking(trx, booking.id, { document, modifiedAt: now });
        bookings.push(document);
      }
      const document: XmlNode = {
        ...trip.document,
        TripStatus: String(TripStatus.Canceled),
        DateModifiedUtc: formatUtc(now),
      };
      const view = await this.writeBack.update(
        trx,
        {
          trip: { ...trip, status: TripStatus.Canceled, modifiedAt: now, document },
          bookings,
        },
        owner,
      );
      await changes?.record(trx, {
        eventType: 'CANCEL',
        tripId,
        agencyId: trip.agencyId,
        owner,
        before,
        after: view,
        now,
      });
      return view;
    });
  }
}

/**
 * A stored trip about to be replaced or cancelled, after checking the caller may change it:
 * the trip, its bookings, and (only when someone listens) a copy of it as it was.
 */
async function loadForChange(
  trx: Transaction<Database>,
  principal: Principal,
  tripId: string,
  owner: UserRow,
  changes: TripChangeBatch | undefined,
): Promise<{ trip: TripRecord; stored: BookingRecord[]; before: TripView | undefined }> {
  const trip = await loadAccessibleTrip(trx, principal, tripId, owner, WRITE_ADMIN_ROLES);
  const stored = await findBookingsOfTrip(trx, tripId);
  assertMayChangeTrip(
    principal,
    tripId,
    stored.map((booking) => booking.source),
  );
  return { trip, stored, before: changes && snapshotTrip(trip, stored, owner) };
}
