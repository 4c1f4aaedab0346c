/**
 * Trip summaries (SPEC §2.1, §5): the date window with its defaults, the created/modified
 * filters, booking type, cancelled and guest trips, and page-number paging. The routes read and check the
 * parameters (trip.routes.ts, itinerary-requests.ts); this service takes their typed values.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { DAY_MS, formatUtc } from '../../domain/dates.js';
import type { SegmentType } from '../../domain/segment-types.js';
import { TripStatus } from '../../domain/trip-status.js';
import {
  companiesWithPreExpenseAir,
  isAdmin,
  type Principal,
  READ_ADMIN_ROLES,
  resolveActingTarget,
  type UserSelector,
} from '../accounts/index.js';
import { agencyOf } from './access/agency-rule.js';
import { audienceOf, visibleSummary } from './access/trip-visibility.js';
import {
  type DataVersionReader,
  TripCountCache,
  type TripCounter,
} from './store/totals/trip-count-cache.js';
import { listTrips, type TripListFilter } from './store/trip-list.repository.js';
import { VersionedCache } from './store/versioned-cache.js';

/** A date parameter: the instant (UTC, epoch ms) and whether the client gave a time of day. */
export interface ListDate {
  ms: number;
  hasTime: boolean;
}

/** Whose trips a list shows: one user's, or (`userid_value=ALL`) every user's of the companies. */
export type ListTarget = Awaited<ReturnType<typeof resolveActingTarget>>;

/** What a list asks for, as the routes read it; an absent value takes its default here. */
export interface TripListQuery {
  includeCanceledTrips?: boolean;
  includeVirtualTrip?: boolean;
  includeGuestBookings?: boolean;
  startDate?: ListDate;
  endDate?: ListDate;
  createdAfterDate?: ListDate;
  createdBeforeDate?: ListDate;
  lastModifiedDate?: ListDate;
  bookingType?: SegmentType;
  tripId?: string;
  includeMetadata?: boolean;
  page?: number;
  itemsPerPage?: number;
  /**
   * Itinera's extension (docs/COMPATIBILITY.md "Expense readiness"): true, only the trips that
   * can be expensed now (Concur's rule, src/domain/expense-readiness.ts, with the company's
   * PreExpenseAir option); false, only those that cannot. Absent: no filter.
   */
  readyToExpense?: boolean;
}

export interface TripSummaryView {
  tripId: string;
  tripName: string;
  status: number;
  startLocal?: string;
  endLocal?: string;
  userLoginId?: string;
  modifiedUtc: string;
  bookingSource?: string;
  recordLocator?: string;
  passengers?: string;
  travelerFirst?: string;
  travelerLast?: string;
}

export interface TripListResult {
  /** Read-only: a kept page is shared by the requests that ask for it (store/versioned-cache.ts). */
  readonly items: readonly Readonly<TripSummaryView>[];
  includeStatus: boolean;
  /** Present when the client asked for metadata (paging). */
  paging?: { totalItems: number; totalPages: number; currentPage: number; itemsPerPage: number };
}

/** Largest page a client may ask for; Concur's own default without `Page` is 1000. */
export const MAX_ITEMS_PER_PAGE = 1000;
/** Largest page number a client may ask for. */
export const MAX_PAGE = 1_000_000;

/** End of the day of a date-only value (inclusive bounds), or the instant itself. */
function inclusiveEnd(value: ListDate): number {
  return value.hasTime ? value.ms : value.ms + DAY_MS - 1;
}

/** True when `start` is after the end of `end` (a date-only end covers its whole day). */
export function invertedWindow(start: ListDate | undefined, end: ListDate | undefined): boolean {
  return start !== undefined && end !== undefined && start.ms > inclusiveEnd(end);
}

/**
 * Statuses hidden from the list: cancelled and removed trips unless `includeCanceledTrips`,
 * virtual trips (Concur Request) unless `includeVirtualTrip` (SPEC §2.1, §7.1).
 */
export function excludedStatusesFor(includeCanceled: boolean, includeVirtual: boolean): number[] {
  const excluded: number[] = [];
  if (!includeCanceled) excluded.push(TripStatus.Canceled, TripStatus.Removed);
  if (!includeVirtual) excluded.push(TripStatus.Virtual);
  if (!includeCanceled || !includeVirtual) excluded.push(TripStatus.VirtualCancelled);
  return excluded;
}

export class TripListService {
  private readonly counts: TripCountCache;
  private readonly pages: VersionedCache<TripListResult>;

  /**
   * `dataVersion` lets totals and whole pages be reused while nothing they were read from
   * changed (store/totals/trip-count-cache.ts, store/versioned-cache.ts); `cacheBytes` bounds the
   * pages kept (0: none); `counter` counts a filter's matches (store/totals/trip-totals.ts).
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dataVersion: DataVersionReader,
    counter: TripCounter,
    cacheBytes = 0,
  ) {
    this.counts = new TripCountCache(counter);
    this.pages = new VersionedCache(cacheBytes, estimatedBytes);
  }

  /**
   * Whose trips the caller may list (`userid_type`/`userid_value`, `ALL` for an administrator).
   * The routes call it before they check the other parameters, which a 403 or 404 precedes.
   */
  target(principal: Principal, selector: UserSelector): Promise<ListTarget> {
    return resolveActingTarget(this.db, principal, selector, {
      adminRoles: READ_ADMIN_ROLES,
      allowAll: true,
    });
  }

  /**
   * Lists the trips of `target` the caller asked for. The routes have refused a window whose
   * start is after its end (`invertedWindow`), in its place among the parameters' checks.
   */
  async list(
    principal: Principal,
    target: ListTarget,
    query: TripListQuery,
    now = Date.now(),
  ): Promise<TripListResult> {
    const includeCanceled = query.includeCanceledTrips ?? false;
    const excludedStatuses = excludedStatusesFor(
      includeCanceled,
      query.includeVirtualTrip ?? false,
    );
    const filter: TripListFilter =
      target.kind === 'all'
        ? { companyIds: target.companyIds, excludedStatuses }
        : { companyIds: [target.user.company_id], ownerId: target.user.id, excludedStatuses };

    const { startDate: start, endDate: end } = query;
    // With no date filter the window is today − 30 days … today + 12 months (SPEC §2.1 says
    // "no query parameters"; user, paging and type parameters do not lift it: COMPATIBILITY.md).
    // An empty tripId lifts nothing (it filters nothing either).
    const dateFilters = [
      start,
      end,
      query.createdAfterDate,
      query.createdBeforeDate,
      query.lastModifiedDate,
      query.tripId || undefined,
    ];
    if (dateFilters.every((value) => value === undefined)) {
      const today = Date.UTC(
        new Date(now).getUTCFullYear(),
        new Date(now).getUTCMonth(),
        new Date(now).getUTCDate(),
      );
      const inAYear = new Date(today);
      inAYear.setUTCMonth(inAYear.getUTCMonth() + 12);
      filter.from = today - 30 * DAY_MS;
      filter.to = inAYear.getTime() + DAY_MS - 1;
    }
    if (start) filter.from = start.ms;
    if (end) filter.to = inclusiveEnd(end);
    if (query.createdAfterDate) filter.createdFrom = query.createdAfterDate.ms;
    if (query.createdBeforeDate) filter.createdTo = inclusiveEnd(query.createdBeforeDate);
    if (query.lastModifiedDate) filter.modifiedFrom = query.lastModifiedDate.ms;
    if (query.bookingType) filter.bookingType = query.bookingType;
    if (query.tripId) filter.tripId = query.tripId;
    const agencyId = agencyOf(principal.app);
    if (agencyId !== null) filter.agencyId = agencyId;
    // Guest trips (COMPATIBILITY.md, "Guest bookings") only when asked for, like cancelled ones.
    if (!query.includeGuestBookings) filter.withoutGuestTrips = true;
    if (query.readyToExpense !== undefined) {
      filter.expense = {
        ready: query.readyToExpense,
        now,
        preExpenseAir: await companiesWithPreExpenseAir(this.db, filter.companyIds),
      };
    }

    const withMetadata = query.includeMetadata ?? false;
    const page = query.page;
    // Defaults (SPEC §5): 200 per page when Page is sent, 1000 when it is not.
    const itemsPerPage = query.itemsPerPage ?? (page !== undefined ? 200 : 1000);
    const shape: PageShape = {
      filter,
      withMetadata,
      itemsPerPage,
      currentPage: page ?? 1,
      showLoginId: isAdmin(principal, READ_ADMIN_ROLES),
      audience: audienceOf(principal),
      includeCanceled,
    };
    // One version read serves the page and its total.
    let versionRead: Promise<string | undefined> | undefined;
    const version = () => {
      versionRead ??= this.dataVersion();
      return versionRead;
    };
    // A readiness filter holds the time of the request: no two requests share its page.
    if (filter.expense !== undefined) return this.readPage(shape, version);
    return this.pages.through(JSON.stringify(shape), version, () => this.readPage(shape, version));
  }

  /** Reads and shapes one page (and its total, when paged) from the database. */
  private async readPage(shape: PageShape, version: DataVersionReader): Promise<TripListResult> {
    const { filter, withMetadata, itemsPerPage, currentPage, showLoginId, audience } = shape;
    const offset = (currentPage - 1) * itemsPerPage;
    const rows = await listTrips(this.db, filter, {
      limit: withMetadata ? itemsPerPage : MAX_ITEMS_PER_PAGE * 10,
      offset: withMetadata ? offset : 0,
    });
    const items = rows.map((row): TripSummaryView => {
      const summary = visibleSummary(row.summary, audience);
      return {
        tripId: row.id,
        tripName: row.name,
        status: row.status,
        startLocal: summary.startLocal,
        endLocal: summary.endLocal,
        userLoginId: showLoginId ? row.loginId : undefined,
        modifiedUtc: formatUtc(row.modifiedAt),
        bookingSource: summary.bookingSources.join(', ') || undefined,
        recordLocator: summary.recordLocators.join(', ') || undefined,
        passengers: summary.passengers.join(', ') || undefined,
        travelerFirst: row.firstName ?? undefined,
        travelerLast: row.lastName ?? undefined,
      };
    });
    const result: TripListResult = {
      items: Object.freeze(items.map((item) => Object.freeze(item))),
      includeStatus: shape.includeCanceled,
    };
    if (withMetadata) {
      // A page that is not full (and not past the end) already tells the total.
      const totalItems =
        rows.length > 0 && rows.length < itemsPerPage
          ? offset + rows.length
          : await this.counts.count(this.db, filter, version);
      result.paging = {
        totalItems,
        totalPages: Math.ceil(totalItems / itemsPerPage),
        currentPage,
        itemsPerPage,
      };
    }
    return result;
  }
}

/** Everything a page's answer depends on besides the data: the key of a kept page. */
interface PageShape {
  filter: TripListFilter;
  withMetadata: boolean;
  itemsPerPage: number;
  currentPage: number;
  showLoginId: boolean;
  audience: ReturnType<typeof audienceOf>;
  includeCanceled: boolean;
}

/**
 * About what a kept page holds in memory: its items' strings (UTF-16), object overhead, and
 * the rendered answers kept beside it (present/itinerary.presenter.ts) at about as much again.
 */
function estimatedBytes(result: TripListResult): number {
  let chars = 0;
  for (const item of result.items) {
    chars += item.tripId.length + item.tripName.length + item.modifiedUtc.length;
    chars += (item.startLocal?.length ?? 0) + (item.endLocal?.length ?? 0);
    chars += (item.userLoginId?.length ?? 0) + (item.bookingSource?.length ?? 0);
    chars += (item.recordLocator?.length ?? 0) + (item.passengers?.length ?? 0);
    chars += (item.travelerFirst?.length ?? 0) + (item.travelerLast?.length ?? 0);
  }
  return 512 + result.items.length * 400 + chars * 2 * 3;
}
