/**
 * The one way a trip's new state is stored, for every write (create, update, cancel, booking
 * post and cancel): the stored rendering made from the new view, then the trip row inserted or
 * updated, inside the write's transaction, with the index of the airline tickets its bookings
 * hold (UpdateCoupon's look-up; a deleted trip's go with it) and its entry in the change feed
 * (created, updated, or cancelled when the write cancels the trip), and its expense readiness
 * (src/domain/expense-readiness.ts, from the bookings it stores). What was written is what
 * the client gets back: no second read after the commit.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { expenseReadiness } from '../../domain/expense-readiness.js';
import type { XmlNode } from '../../xml/document.js';
import { storeTicketsOfTrip } from './coupons/air-ticket.repository.js';
import { ticketNumbersOf } from './coupons/coupon-rules.js';
import { recordStoredTripChange, recordTripChange } from './feed/trip-feed.repository.js';
import type { TripIndex, TripOwner, TripRecord } from './rules/records.js';
import { assertWithinCeiling, type TripCeiling } from './rules/trip-ceiling.js';
import type { TripRenderer, TripView } from './rules/trip-view.js';
import { insertTrip, updateTrip } from './store/trip.repository.js';

/** A trip's new state: its record, its bookings' documents in order, and its list index. */
export interface TripState {
  trip: TripRecord;
  bookings: XmlNode[];
  /** New list index values; absent when they do not change (a trip cancel keeps them). */
  index?: TripIndex;
}

/** A trip's new state with its view, rendered and ready to store. */
export interface RenderedTrip<S extends TripState = TripState> {
  state: S;
  view: TripView;
}

/** The state of a new trip: its list index is required. */
export type NewTripState = TripState & { index: TripIndex };

/** How an update is stored. */
export interface UpdateOptions {
  /** The feed says `anonymized` instead of `updated` (an anonymization changes no travel fact). */
  anonymized?: boolean;
  /** A write that may grow the trip (trip POST, booking merge): refused past the ceiling. */
  bounded?: boolean;
}

export class TripWriteBack {
  /**
   * `render`: the stored rendering of a trip (given by the wiring; see `TripRenderer`).
   * `ceiling`: the bounds writes that grow a trip must keep (rules/trip-ceiling.ts); none: no
   * bounds.
   */
  constructor(
    private readonly render: TripRenderer,
    private readonly ceiling?: TripCeiling,
  ) {}

  /**
   * The view of a trip's new state, with its stored rendering. No SQL: a new trip is rendered
   * before its transaction starts, so that other writers wait only for its statements. Every
   * new trip is `bounded`; an update is when its options say so.
   */
  prepare<S extends TripState>(state: S, owner: TripOwner, bounded = true): RenderedTrip<S> {
    const { trip, bookings } = state;
    const view: TripView = {
      id: trip.id,
      status: trip.status,
      document: trip.document,
      bookings,
      owner,
      version: trip.version,
    };
    view.rendering = this.render(view);
    if (bounded && this.ceiling) assertWithinCeiling(this.ceiling, bookings, view.rendering);
    return { state, view };
  }

  /** Stores a new trip, complete (its bookings refer to it), and returns its view. */
  async insert(
    trx: Transaction<Database>,
    { state, view }: RenderedTrip<NewTripState>,
  ): Promise<TripView> {
    const { trip } = state;
    await insertTrip(trx, {
      ...trip,
      ...state.index,
      ...expenseReadiness(state.bookings, trip.endAt),
      rendering: view.rendering ?? null,
    });
    await recordTripChange(trx, {
      tripId: trip.id,
      companyId: trip.companyId,
      agencyId: trip.agencyId,
      type: 'created',
      at: trip.modifiedAt,
    });
    await storeTicketsOfTrip(trx, trip, ticketNumbersOf(state.bookings), false);
    return view;
  }

  /** Renders and stores the new state of an existing trip; returns its view. */
  async update(
    trx: Transaction<Database>,
    state: TripState,
    owner: TripOwner,
    { anonymized = false, bounded = false }: UpdateOptions = {},
  ): Promise<TripView> {
    const { view } = this.prepare(state, owner, bounded);
    const { trip, index } = state;
    if (anonymized) {
      await recordTripChange(trx, {
        tripId: trip.id,
        companyId: trip.companyId,
        agencyId: trip.agencyId,
        type: 'anonymized',
        at: trip.modifiedAt,
      });
    } else {
      // From the row before it changes: `cancelled` only when this write cancels the trip.
      await recordStoredTripChange(trx, trip.id, trip.status, trip.modifiedAt);
    }
    view.version = await updateTrip(trx, trip.id, {
      name: trip.name,
      status: trip.status,
      startAt: trip.startAt,
      endAt: trip.endAt,
      modifiedAt: trip.modifiedAt,
      document: trip.document,
      rendering: view.rendering,
      ...index,
      // From the bookings of every write: a coupon update or a cancel changes it too.
      ...expenseReadiness(state.bookings, trip.endAt),
    });
    await storeTicketsOfTrip(trx, trip, ticketNumbersOf(state.bookings), true);
    return view;
  }
}
