/**
 * Insights v3 (docs/INSIGHTS.md): the opportunities of one trip or of the trips in a window,
 * and a traveller's latest bookings, computed from the stored trips a caller reaches, as that
 * caller may see them (docs/ACCESS.md, "Insights"): the reach and the supplier view of v1.1.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { formatUtc } from '../../domain/dates.js';
import { TripStatus } from '../../domain/trip-status.js';
import { errors } from '../../errors.js';
import type { XmlNode } from '../../xml/document.js';
import { type Principal, READ_ADMIN_ROLES, resolveActingTarget } from '../accounts/index.js';
import {
  agencyOf,
  audienceOf,
  type BookingRecord,
  findBookingsOfTrips,
  visibleBooking,
} from '../itineraries/index.js';
import {
  findTripInReach,
  type InsightsReach,
  latestTripsOfOwner,
  type TripStart,
  tripsInWindow,
} from './insights.repository.js';
import { decodeCursor, encodeCursor } from './insights-cursor.js';
import { type LatestBookings, latestBookingsOf } from './rules/latest-bookings.js';
import {
  type OpportunityDraft,
  type OpportunityType,
  opportunitiesOf,
} from './rules/opportunity-rules.js';
import { tripTimeline } from './rules/trip-timeline.js';

/** The name of the server secret the `offset` cursors are signed with. */
export const INSIGHTS_CURSOR_SECRET = 'insights-opportunities-cursor';

/** Trips whose gaps are opportunities: booked ones (not cancelled, proposed or virtual). */
const LIVE_STATUSES = [TripStatus.Confirmed, TripStatus.Ticketed, TripStatus.BookedProposal];

/** Trips read per query of a window; a page reads at most `MAX_BATCHES` of them. */
export const TRIPS_PER_BATCH = 10;
const MAX_BATCHES = 5;
/** A page stops reading trips once it holds this many opportunities (Concur v3's page, 25). */
export const PAGE_ITEMS = 25;
/** Latest Bookings looks at the traveller's latest-starting trips, this many. */
const LATEST_TRIPS = 20;

/** An opportunity as answered: the rule's draft with its id, trip and whether it is ahead. */
export interface Opportunity extends OpportunityDraft {
  id: string;
  tripId: string;
  isActive: boolean;
}

/** A window query: instants (UTC), the types asked for (all when empty), the cursor as sent. */
export interface WindowQuery {
  from: number;
  to: number;
  types: readonly OpportunityType[];
  offset?: string;
}

export interface OpportunityPage {
  items: Opportunity[];
  /** The cursor of the next page, when trips remain. */
  next?: string;
}

/** The trips a caller reaches, or null for a supplier app without a booking source (none). */
export function reachOf(principal: Principal): InsightsReach | null {
  const reach: InsightsReach = { companyIds: principal.companyIds };
  if (principal.kind === 'user') {
    if (!principal.user) throw errors.unauthorized();
    reach.ownerId = principal.user.id;
  }
  const agencyId = agencyOf(principal.app);
  if (agencyId !== null) reach.agencyId = agencyId;
  if (principal.app.kind === 'supplier') {
    if (!principal.app.bookingSource) return null;
    reach.bookingSource = principal.app.bookingSource;
  }
  return reach;
}

/** A stable id: the same gap of the same trip keeps its id across reads. */
function opportunityId(tripId: string, draft: OpportunityDraft): string {
  return createHash('sha256')
    .update([tripId, draft.type, draft.startCity ?? '', draft.startLocal ?? ''].join('\n'))
    .digest('base64url')
    .slice(0, 22);
}

export class InsightsService {
  constructor(
    private readonly db: Kysely<Database>,
    /** The key cursors are signed with (a server secret, the same for every instance). */
    private readonly cursorSecret: () => Promise<string>,
  ) {}

  /** The opportunities of one trip; 404 for a trip out of the caller's reach. */
  async ofTrip(
    principal: Principal,
    tripId: string,
    types: readonly OpportunityType[],
    now = Date.now(),
  ): Promise<Opportunity[]> {
    const reach = reachOf(principal);
    // No id holds a NUL (PostgreSQL text cannot): such an id names no trip.
    const trip =
      reach && !tripId.includes('\u0000')
        ? await findTripInReach(this.db, reach, tripId, LIVE_STATUSES)
        : undefined;
    if (!trip) throw errors.tripNotFound(tripId);
    return this.opportunities(principal, [trip.id], types, now);
  }

  /** One page of the opportunities of the trips overlapping the window, in trip start order. */
  async inWindow(
    principal: Principal,
    query: WindowQuery,
    now = Date.now(),
  ): Promise<OpportunityPage> {
    const reach = reachOf(principal);
    const secret = await this.cursorSecret();
    const key = `${query.from}:${query.to}:${query.types.join(',')}`;
    let last: TripStart | undefined =
      query.offset !== undefined ? decodeCursor(secret, key, query.offset) : undefined;
    if (!reach) return { items: [] };
    const items: Opportunity[] = [];
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const trips = await tripsInWindow(
        this.db,
        reach,
        query,
        LIVE_STATUSES,
        last,
        TRIPS_PER_BATCH + 1,
      );
      const page = trips.slice(0, TRIPS_PER_BATCH);
      items.push(
        ...(await this.opportunities(
          principal,
          page.map((t) => t.id),
          query.types,
          now,
        )),
      );
      last = page.at(-1) ?? last;
      if (trips.length <= TRIPS_PER_BATCH) return { items };
      if (items.length >= PAGE_ITEMS) break;
    }
    return { items, next: encodeCursor(secret, key, last as TripStart) };
  }

  /** The latest airline segments and hotel of the caller, or of `loginId` for administrators. */
  async latest(principal: Principal, loginId: string | undefined): Promise<LatestBookings> {
    if (loginId === undefined && principal.kind === 'company') {
      throw errors.badRequest(
        'A company-level token must name the traveller with user=<login id>.',
      );
    }
    // No login id holds a NUL (PostgreSQL text cannot): such a user does not exist.
    if (loginId?.includes('\u0000')) throw errors.userNotFound(loginId.replaceAll('\u0000', ''));
    const target = await resolveActingTarget(
      this.db,
      principal,
      loginId === undefined ? {} : { useridType: 'login', useridValue: loginId },
      { adminRoles: READ_ADMIN_ROLES },
    );
    if (target.kind !== 'user') throw errors.badRequest('user names one traveller.');
    const reach = reachOf(principal);
    if (!reach) return { airlines: [] };
    const tripIds = await latestTripsOfOwner(
      this.db,
      { ...reach, ownerId: target.user.id },
      LIVE_STATUSES,
      LATEST_TRIPS,
    );
    const bookings = await findBookingsOfTrips(this.db, tripIds);
    const audience = audienceOf(principal);
    return latestBookingsOf(
      bookings.map((b) => ({
        document: visibleBooking(b.document, audience),
        modifiedAt: b.modifiedAt,
      })),
    );
  }

  /** The opportunities of `tripIds` (in that order) as the caller may see their bookings. */
  private async opportunities(
    principal: Principal,
    tripIds: readonly string[],
    types: readonly OpportunityType[],
    now: number,
  ): Promise<Opportunity[]> {
    if (tripIds.length === 0) return [];
    const byTrip = new Map<string, BookingRecord[]>();
    for (const booking of await findBookingsOfTrips(this.db, tripIds)) {
      const list = byTrip.get(booking.tripId) ?? [];
      list.push(booking);
      byTrip.set(booking.tripId, list);
    }
    const audience = audienceOf(principal);
    const today = formatUtc(now);
    const found: Opportunity[] = [];
    for (const tripId of tripIds) {
      const documents: XmlNode[] = (byTrip.get(tripId) ?? []).map((b) =>
        visibleBooking(b.document, audience),
      );
      for (const draft of opportunitiesOf(tripTimeline(documents))) {
        if (types.length > 0 && !types.includes(draft.type)) continue;
        const end = draft.endLocal ?? draft.startLocal;
        found.push({
          ...draft,
          id: opportunityId(tripId, draft),
          tripId,
          isActive: end === undefined || end >= today,
        });
      }
    }
    return found;
  }
}
