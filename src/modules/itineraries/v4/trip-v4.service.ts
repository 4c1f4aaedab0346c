/**
 * Itinerary v4 reads (docs/ACCESS.md, "Itinerary v4"): one trip by id, and the Itineraries v4
 * list in keyset pages. Company-level tokens only, as the reference says; the same reach as
 * v1.1 (the token's companies, a TMC app's own agency) and the same content rules (a TripLink
 * supplier's view), decided by the same functions.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database.js';
import { DAY_MS } from '../../../domain/dates.js';
import { TripStatus } from '../../../domain/trip-status.js';
import { errors } from '../../../errors.js';
import { agencyOf, hiddenByAgency } from '../access/agency-rule.js';
import { type Audience, audienceOf, visibleTrip } from '../access/trip-visibility.js';
import type { ItineraryCaller } from '../itinerary-replies.js';
import { type TripView, tripViewOf } from '../rules/trip-view.js';
import { findBookingsOfTrip } from '../store/booking.repository.js';
import { tripFromKept } from '../store/trip.repository.js';
import {
  findTripOwner,
  type TripPageFilter,
  type TripPosition,
  tripsNextTo,
} from '../store/trip-page.repository.js';
import type { TripReadCache } from '../store/trip-read-cache.js';
import { decodeCursor, encodeCursor } from './trip-cursor.js';

/** The name of the server secret the list's cursors are signed with. */
export const V4_CURSOR_SECRET = 'v4-trip-cursor';

/** Trips per page (v4.itineraries.md: "at most 10 trips"). */
export const V4_PAGE_SIZE = 10;

/** What the list asks for: days as the instants they start (UTC), the cursor as sent. */
export interface TripPageQuery {
  endDateFrom?: number;
  endDateTo?: number;
  startAfter?: string;
}

/** One page: its trip ids in list order, and the cursors of the pages beside it. */
export interface TripPage {
  ids: string[];
  /** The `endDateFrom` the page was selected with (the default resolved), for the links. */
  endDateFrom: number;
  next?: string;
  prev?: string;
}

/** A trip the caller may read in v4: what its view depends on, and the view on demand. */
export interface OpenedV4Trip {
  /**
   * The same object for every request answered from one kept read of the trip
   * (store/trip-read-cache.ts): a key for what is derived from it, such as rendered bytes.
   */
  readKey: object;
  /** What of the trip the caller sees (a TripLink supplier: its own bookings). */
  audience: Audience;
  load(): Promise<TripView>;
}

/** The caller of a v4 read, as the itinerary routes authenticate it. */
type Principal = ItineraryCaller['principal'];

/** v4 serves company-level tokens only ("Access Token Usage"). */
export function assertCompanyToken(principal: Principal): void {
  if (principal.kind !== 'company') {
    throw errors.forbidden(
      'Itinerary v4 accepts only company-level access tokens; this is a user token.',
    );
  }
}

/** The UTC day that `now` falls in, as the instant it starts. */
function dayStart(now: number): number {
  return now - (((now % DAY_MS) + DAY_MS) % DAY_MS);
}

export class TripV4Service {
  constructor(
    private readonly db: Kysely<Database>,
    /** Trips kept for their details (shared with v1.1's, `ItineraryServices.reads`). */
    private readonly reads: TripReadCache,
    /** The key cursors are signed with (a server secret, the same for every instance). */
    private readonly cursorSecret: () => Promise<string>,
  ) {}

  /**
   * The trip as the caller may see it; 404 for a trip out of its reach, as in v1.1. Who may
   * read it is decided now, from the trip as kept (store/trip-read-cache.ts) or read; its
   * bookings and owner are read only when the caller's view is rendered (`load`).
   */
  async open(principal: Principal, tripId: string): Promise<OpenedV4Trip> {
    assertCompanyToken(principal);
    // No id holds a NUL (PostgreSQL text cannot): such an id names no trip.
    if (tripId.includes('\u0000')) throw errors.tripNotFound(tripId);
    const kept = await this.reads.find(tripId);
    const trip = kept.row && tripFromKept(kept.row);
    if (
      !trip ||
      !principal.companyIds.includes(trip.companyId) ||
      hiddenByAgency(principal.app, trip.agencyId)
    ) {
      throw errors.tripNotFound(tripId);
    }
    const audience = audienceOf(principal);
    return {
      readKey: kept,
      audience,
      load: async () => {
        const [bookings, owner] = await Promise.all([
          findBookingsOfTrip(this.db, tripId),
          findTripOwner(this.db, trip.ownerId),
        ]);
        if (!owner) throw errors.tripNotFound(tripId);
        return visibleTrip(tripViewOf(trip, bookings, owner), audience);
      },
    };
  }

  /**
   * One page of the trips of the token's companies ending in the window, in (end, id) order.
   * `endDateFrom` defaults to today and may not be more than a year ago; `endDateTo` may not
   * precede it (v4.itineraries.md). Removed trips are left out; cancelled ones are listed (the
   * list is an initial fetch of what the events will then keep current).
   */
  async list(principal: Principal, query: TripPageQuery, now = Date.now()): Promise<TripPage> {
    assertCompanyToken(principal);
    const today = dayStart(now);
    const endDateFrom = query.endDateFrom ?? today;
    const yearAgo = new Date(today);
    yearAgo.setUTCFullYear(yearAgo.getUTCFullYear() - 1);
    if (endDateFrom < yearAgo.getTime()) {
      throw errors.invalidValue(
        'endDateFrom',
        `cannot be more than one year ago (the earliest is ${yearAgo.toISOString().slice(0, 10)})`,
      );
    }
    if (query.endDateTo !== undefined && query.endDateTo < endDateFrom) {
      throw errors.invalidValue('endDateTo', 'cannot be earlier than endDateFrom');
    }
    const secret = await this.cursorSecret();
    const cursor =
      query.startAfter !== undefined ? decodeCursor(secret, query.startAfter) : undefined;
    const filter: TripPageFilter = {
      companyIds: principal.companyIds,
      endFrom: endDateFrom,
      excludedStatuses: [TripStatus.Removed],
    };
    if (query.endDateTo !== undefined) filter.endTo = query.endDateTo + DAY_MS - 1;
    const agencyId = agencyOf(principal.app);
    if (agencyId !== null) filter.agencyId = agencyId;

    const page = await this.positions(filter, cursor);
    const sign = (direction: 'after' | 'before', at: TripPosition) =>
      encodeCursor(secret, { direction, ...at });
    const result: TripPage = { ids: page.items.map((item) => item.id), endDateFrom };
    if (page.next) result.next = sign('after', page.next);
    if (page.prev) result.prev = sign('before', page.prev);
    return result;
  }

  /**
   * The page's positions and, when there are trips beyond either end, the position the next or
   * previous page starts from. Fetching one more than a page tells whether more lie that way.
   */
  private async positions(
    filter: TripPageFilter,
    cursor: ReturnType<typeof decodeCursor> | undefined,
  ): Promise<{ items: TripPosition[]; next?: TripPosition; prev?: TripPosition }> {
    const more = V4_PAGE_SIZE + 1;
    if (cursor?.direction === 'before') {
      const before = await tripsNextTo(this.db, filter, cursor, more);
      // Fewer than a page before it: that page is the list's first, served from the start.
      if (before.length > V4_PAGE_SIZE) {
        const items = before.slice(0, V4_PAGE_SIZE).reverse();
        const first = items[0] as TripPosition;
        const last = items[items.length - 1] as TripPosition;
        const after = await tripsNextTo(this.db, filter, { direction: 'after', ...last }, 1);
        return { items, prev: first, ...(after.length > 0 ? { next: last } : {}) };
      }
      return this.positions(filter, undefined);
    }
    const rows = await tripsNextTo(this.db, filter, cursor, more);
    const items = rows.slice(0, V4_PAGE_SIZE);
    const last = items[items.length - 1];
    const result: { items: TripPosition[]; next?: TripPosition; prev?: TripPosition } = { items };
    if (rows.length > V4_PAGE_SIZE && last) result.next = last;
    if (cursor) {
      // Anything before this page (or, past the end, before the cursor) makes a previous page.
      const from = items[0] ?? cursor;
      const before = await tripsNextTo(this.db, filter, { direction: 'before', ...from }, 1);
      if (before.length > 0) result.prev = { endAt: from.endAt, id: from.id };
    }
    return result;
  }
}
