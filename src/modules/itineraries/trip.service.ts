import type { Kysely, Transaction } from 'kysely';
import type { DatabaseHandle } from '../../db/connect.js';
import type { Database, UserRow } from '../../db/database.js';
import { readJson } from '../../db/database.js';
import { formatUtc } from '../../domain/dates.js';
import { TripStatus } from '../../domain/trip-status.js';
import { errors } from '../../errors.js';
import { list, type XmlNode } from '../../xml/document.js';
import {
  READ_ADMIN_ROLES,
  type UserSelector,
  WRITE_ADMIN_ROLES,
} from '../accounts/acting-user.service.js';
import type { Principal } from '../accounts/principal.js';
import { findUserById } from '../accounts/user.repository.js';
import {
  type NotificationOutbox,
  snapshotTrip,
} from '../notifications/outbox/notification-outbox.js';
import { loadAccessibleTrip, resolveActingUser, resolveTripOwner } from './access/trip-access.js';
import {
  agencyOfNewTrip,
  assertMayChangeTrip,
  assertMayPostBookings,
  assertMayWrite,
} from './access/write-permissions.js';
import { newTripId, newTripLinkLocator } from './rules/trip-ids.js';
import {
  cancelSegments,
  planTrip,
  type TripPlan,
  type TripWriteContext,
  validateItinerary,
} from './rules/trip-plan.js';
import { type TripRenderer, type TripView, tripViewOf } from './rules/trip-view.js';
import {
  deleteBookingsOfTrip,
  findBookingsOfTrip,
  TripInserts,
  updateBookingDocument,
  updateTrip,
} from './store/trip.repository.js';

/** A trip the caller may read: its stored rendering now, its documents on demand. */
export interface OpenedTrip {
  id: string;
  rendering?: string;
  load(): Promise<TripView>;
}

export class TripService {
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
   * Creates a trip for the acting user. Posted trips never merge with existing trips.
   * `baseUrl` is the service's base URL as the caller reached it (notifications link the trip).
   */
  async create(
    principal: Principal,
    selector: UserSelector,
    itinerary: XmlNode,
    render: TripRenderer,
    baseUrl: string,
  ): Promise<TripView> {
    validateItinerary(itinerary);
    assertMayPostBookings(principal, postedBookings(itinerary));
    const target = await resolveActingUser(this.db, principal, selector, WRITE_ADMIN_ROLES);
    const now = Date.now();
    const context = {
      tripId: newTripId(),
      triplinkLocator: newTripLinkLocator(),
      createdAt: now,
      now,
      isNew: true,
      agencyId: agencyOfNewTrip(principal),
    };
    // All the work before the transaction: other writers (cluster workers) wait only for SQL.
    const plan = planTrip(principal, target, itinerary, render, context, []);
    return this.write(target, async (trx) => {
      await this.persistTrip(trx, plan, context, target);
      const notes = await this.outbox?.open(trx, target.company_id, baseUrl);
      await notes?.record(trx, {
        eventType: 'CREATE',
        tripId: context.tripId,
        agencyId: context.agencyId,
        owner: target,
        after: plan.view,
        now,
      });
      return plan.view;
    });
  }

  /** Replaces a trip wholesale: bookings and segments not re-sent are removed (NOTES §2.4). */
  async update(
    principal: Principal,
    selector: UserSelector,
    tripId: string,
    itinerary: XmlNode,
    render: TripRenderer,
    baseUrl: string,
  ): Promise<TripView> {
    validateItinerary(itinerary);
    assertMayPostBookings(principal, postedBookings(itinerary));
    const owner = await resolveTripOwner(this.db, principal, selector, tripId, WRITE_ADMIN_ROLES);
    return this.write(owner, async (trx, now) => {
      const trip = await loadAccessibleTrip(trx, principal, tripId, owner, WRITE_ADMIN_ROLES);
      const existing = await findBookingsOfTrip(trx, tripId);
      assertMayChangeTrip(
        principal,
        tripId,
        existing.map((row) => row.source),
      );
      const context = {
        tripId,
        triplinkLocator: trip.triplink_locator,
        createdAt: trip.created_at,
        now,
        isNew: false,
        agencyId: trip.agency_id,
      };
      const plan = planTrip(principal, owner, itinerary, render, context, existing);
      await this.persistTrip(trx, plan, context, owner);
      const notes = await this.outbox?.open(trx, owner.company_id, baseUrl);
      await notes?.record(trx, {
        eventType: 'UPDATE',
        tripId,
        agencyId: trip.agency_id,
        owner,
        before: snapshotTrip(trip, existing, owner),
        after: plan.view,
        now,
      });
      return plan.view;
    });
  }

  /**
   * Checks the caller may read the trip and returns its stored rendering, with the loading of
   * its documents deferred: a caller that can send the rendering need not load them.
   */
  async open(principal: Principal, selector: UserSelector, tripId: string): Promise<OpenedTrip> {
    const target = await resolveActingUser(this.db, principal, selector, READ_ADMIN_ROLES);
    const trip = await loadAccessibleTrip(this.db, principal, tripId, target, READ_ADMIN_ROLES);
    const owner = trip.owner_id === target.id ? target : await findUserById(this.db, trip.owner_id);
    if (!owner) throw errors.tripNotFound(tripId);
    return {
      id: trip.id,
      rendering: trip.rendering ?? undefined,
      load: async () => tripViewOf(trip, await findBookingsOfTrip(this.db, tripId), owner),
    };
  }

  /** Cancels every segment of the trip; the trip and its bookings remain (NOTES §2.5). */
  async cancel(
    principal: Principal,
    selector: UserSelector,
    tripId: string,
    render: TripRenderer,
    baseUrl: string,
  ): Promise<TripView> {
    assertMayWrite(principal);
    const owner = await resolveTripOwner(this.db, principal, selector, tripId, WRITE_ADMIN_ROLES);
    return this.write(owner, async (trx, now) => {
      const trip = await loadAccessibleTrip(trx, principal, tripId, owner, WRITE_ADMIN_ROLES);
      const rows = await findBookingsOfTrip(trx, tripId);
      assertMayChangeTrip(
        principal,
        tripId,
        rows.map((row) => row.source),
      );
      // Before anything below changes the loaded documents.
      const notes = await this.outbox?.open(trx, owner.company_id, baseUrl);
      const before = notes && snapshotTrip(trip, rows, owner);
      const document = readJson<XmlNode>(trip.document);
      document.TripStatus = String(TripStatus.Canceled);
      document.DateModifiedUtc = formatUtc(now);
      const bookings = [];
      for (const row of rows) {
        const booking = cancelSegments(readJson<XmlNode>(row.document), now);
        await updateBookingDocument(trx, row.id, JSON.stringify(booking), now);
        bookings.push(booking);
      }
      const view: TripView = { id: tripId, status: TripStatus.Canceled, document, bookings, owner };
      view.rendering = render(view);
      await updateTrip(trx, tripId, {
        status: TripStatus.Canceled,
        modified_at: now,
        document: JSON.stringify(document),
        rendering: view.rendering,
      });
      await notes?.record(trx, {
        eventType: 'CANCEL',
        tripId,
        agencyId: trip.agency_id,
        owner,
        before,
        after: view,
        now,
      });
      return view;
    });
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

  /** Writes a planned trip: the trip row, then its bookings (replacing them on update). */
  private async persistTrip(
    trx: Transaction<Database>,
    plan: TripPlan,
    context: TripWriteContext,
    owner: UserRow,
  ): Promise<void> {
    if (context.isNew) {
      await this.inserts.insertTrip(trx, {
        ...plan.row,
        id: context.tripId,
        company_id: owner.company_id,
        owner_id: owner.id,
        created_at: context.createdAt,
        triplink_locator: context.triplinkLocator,
        agency_id: context.agencyId,
        origin: 'trip',
      });
    } else {
      await deleteBookingsOfTrip(trx, context.tripId);
      await updateTrip(trx, context.tripId, plan.row);
    }
    await this.inserts.insertBookings(trx, plan.bookings);
  }
}

/** The Booking elements of a posted Itinerary. */
function postedBookings(itinerary: XmlNode): XmlNode[] {
  return list(itinerary, 'Bookings').map((item) => item.node);
}
