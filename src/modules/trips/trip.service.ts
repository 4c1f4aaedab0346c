import type { Kysely, Transaction } from 'kysely';
import type { DatabaseHandle } from '../../db/connect.js';
import type { Database, TripRow, UserRow } from '../../db/database.js';
import { readJson } from '../../db/database.js';
import { formatUtc } from '../../domain/dates.js';
import { TripStatus } from '../../domain/trip-status.js';
import { errors } from '../../errors.js';
import { isAdmin, type Principal } from '../../http/principal.js';
import type { XmlNode } from '../../xml/document.js';
import {
  READ_ADMIN_ROLES,
  resolveActingTarget,
  type UserSelector,
  WRITE_ADMIN_ROLES,
} from '../users/acting-user.service.js';
import { findUserById } from '../users/user.repository.js';
import { type TripRenderer, type TripView, tripViewOf } from './trip.model.js';
import {
  deleteBookingsOfTrip,
  findBookingsOfTrip,
  findTripById,
  TripInserts,
  updateBookingDocument,
  updateTrip,
} from './trip.repository.js';
import { newTripId, newTripLinkLocator } from './trip-ids.js';
import {
  cancelSegments,
  planTrip,
  type TripPlan,
  type TripWriteContext,
  validateItinerary,
} from './trip-plan.js';

/** A trip the caller may read: its stored rendering now, its documents on demand. */
export interface OpenedTrip {
  id: string;
  rendering?: string;
  load(): Promise<TripView>;
}

export class TripService {
  private readonly db: Kysely<Database>;
  private readonly inserts: TripInserts;

  constructor(private readonly database: DatabaseHandle) {
    this.db = database.db;
    this.inserts = new TripInserts(database.db);
  }

  /** Creates a trip for the acting user. Posted trips never merge with existing trips. */
  async create(
    principal: Principal,
    selector: UserSelector,
    itinerary: XmlNode,
    render: TripRenderer,
  ): Promise<TripView> {
    validateItinerary(itinerary);
    const target = await this.actingUser(principal, selector, WRITE_ADMIN_ROLES);
    const now = Date.now();
    const context = {
      tripId: newTripId(),
      triplinkLocator: newTripLinkLocator(),
      createdAt: now,
      now,
      isNew: true,
    };
    // All the work before the transaction: other writers (cluster workers) wait only for SQL.
    const plan = planTrip(principal, target, itinerary, render, context, []);
    return this.write(target, async (trx) => {
      await this.persistTrip(trx, plan, context, target);
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
  ): Promise<TripView> {
    validateItinerary(itinerary);
    const owner = await this.ownerForWrite(principal, selector, tripId);
    return this.write(owner, async (trx, now) => {
      const trip = await this.accessibleTrip(trx, principal, tripId, owner, WRITE_ADMIN_ROLES);
      const context = {
        tripId,
        triplinkLocator: trip.triplink_locator,
        createdAt: trip.created_at,
        now,
        isNew: false,
      };
      const existing = await findBookingsOfTrip(trx, tripId);
      const plan = planTrip(principal, owner, itinerary, render, context, existing);
      await this.persistTrip(trx, plan, context, owner);
      return plan.view;
    });
  }

  /**
   * Checks the caller may read the trip and returns its stored rendering, with the loading of
   * its documents deferred: a caller that can send the rendering need not load them.
   */
  async open(principal: Principal, selector: UserSelector, tripId: string): Promise<OpenedTrip> {
    const target = await this.actingUser(principal, selector, READ_ADMIN_ROLES);
    const trip = await this.accessibleTrip(this.db, principal, tripId, target, READ_ADMIN_ROLES);
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
  ): Promise<TripView> {
    const owner = await this.ownerForWrite(principal, selector, tripId);
    return this.write(owner, async (trx, now) => {
      const trip = await this.accessibleTrip(trx, principal, tripId, owner, WRITE_ADMIN_ROLES);
      const document = readJson<XmlNode>(trip.document);
      document.TripStatus = String(TripStatus.Canceled);
      document.DateModifiedUtc = formatUtc(now);
      const bookings = [];
      for (const row of await findBookingsOfTrip(trx, tripId)) {
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
      return view;
    });
  }

  /**
   * The owner of an existing trip the caller wants to change, after checking the caller may
   * act for them. Writes lock and store under the owner, whoever the caller is.
   */
  private async ownerForWrite(
    principal: Principal,
    selector: UserSelector,
    tripId: string,
  ): Promise<UserRow> {
    const target = await this.actingUser(principal, selector, WRITE_ADMIN_ROLES);
    const trip = await this.accessibleTrip(this.db, principal, tripId, target, WRITE_ADMIN_ROLES);
    if (trip.owner_id === target.id) return target;
    const owner = await findUserById(this.db, trip.owner_id);
    if (!owner) throw errors.tripNotFound(tripId);
    return owner;
  }

  private async actingUser(
    principal: Principal,
    selector: UserSelector,
    roles: typeof READ_ADMIN_ROLES,
  ): Promise<UserRow> {
    const target = await resolveActingTarget(this.db, principal, selector, { adminRoles: roles });
    if (target.kind !== 'user') throw errors.badRequest('userid_value=ALL is only for listing.');
    return target.user;
  }

  /**
   * Loads a trip the caller may act on: 404 when it does not exist or lies outside the
   * caller's companies; 403 when it belongs to someone the caller may not act for.
   */
  private async accessibleTrip(
    db: Kysely<Database> | Transaction<Database>,
    principal: Principal,
    tripId: string,
    target: UserRow,
    roles: typeof READ_ADMIN_ROLES,
  ): Promise<TripRow> {
    const trip = await findTripById(db, tripId);
    if (!trip || !principal.companyIds.includes(trip.company_id)) {
      throw errors.tripNotFound(tripId);
    }
    if (trip.owner_id !== target.id && !isAdmin(principal, roles)) {
      throw errors.forbidden(`The trip '${tripId}' belongs to another user.`);
    }
    return trip;
  }

  private write<T>(
    owner: UserRow,
    work: (trx: Transaction<Database>, now: number) => Promise<T>,
  ): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      await this.database.lock(trx, `traveller:${owner.id}`);
      return work(trx, Date.now());
    });
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
      });
    } else {
      await deleteBookingsOfTrip(trx, context.tripId);
      await updateTrip(trx, context.tripId, plan.row);
    }
    await this.inserts.insertBookings(trx, plan.bookings);
  }
}
