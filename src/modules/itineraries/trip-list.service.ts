/**
 * Trip summaries (SPEC §2.1, §5): the date window with its defaults, the created/modified
 * filters, booking type, cancelled trips, and page-number paging.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { DAY_MS, formatUtc, parseQueryDate } from '../../domain/dates.js';
import { segmentTypeNamed } from '../../domain/segment-types.js';
import { TripStatus } from '../../domain/trip-status.js';
import { errors } from '../../errors.js';
import {
  isAdmin,
  type Principal,
  READ_ADMIN_ROLES,
  resolveActingTarget,
} from '../accounts/index.js';
import { agencyOf } from './access/agency-rule.js';
import { audienceOf, visibleSummary } from './access/trip-visibility.js';
import { countTrips, listTrips, type TripListFilter } from './store/trip-list.repository.js';

/** List parameters, keyed by lower-cased name (names are case-insensitive). */
export type ListParameters = Record<string, string>;

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
  items: TripSummaryView[];
  includeStatus: boolean;
  /** Present when the client asked for metadata (paging). */
  paging?: { totalItems: number; totalPages: number; currentPage: number; itemsPerPage: number };
}

const DATE_FILTERS = [
  'startdate',
  'enddate',
  'createdafterdate',
  'createdbeforedate',
  'lastmodifieddate',
  'tripid',
];

/** Largest page a client may ask for; Concur's own default without `Page` is 1000. */
const MAX_ITEMS_PER_PAGE = 1000;

function dateParam(
  params: ListParameters,
  name: string,
): { ms: number; hasTime: boolean } | undefined {
  const raw = params[name.toLowerCase()];
  if (raw === undefined || raw === '') return undefined;
  const parsed = parseQueryDate(raw);
  if (!parsed) {
    throw errors.badRequest(`${name} must be a date as YYYY-MM-DD or YYYY/MM/DD (got '${raw}').`);
  }
  return parsed;
}

function booleanParam(params: ListParameters, name: string): boolean {
  const raw = params[name.toLowerCase()];
  if (raw === undefined || raw === '') return false;
  const value = raw.trim().toLowerCase();
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw errors.badRequest(`${name} must be true or false (got '${raw}').`);
}

function positiveInt(params: ListParameters, name: string, max: number): number | undefined {
  const raw = params[name.toLowerCase()];
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1 || Number(raw) > max) {
    throw errors.badRequest(`${name} must be a whole number from 1 to ${max} (got '${raw}').`);
  }
  return Number(raw);
}

/** End of the day of a date-only value (inclusive bounds), or the instant itself. */
function inclusiveEnd(value: { ms: number; hasTime: boolean }): number {
  return value.hasTime ? value.ms : value.ms + DAY_MS - 1;
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
  constructor(private readonly db: Kysely<Database>) {}

  /** Lists the trips a caller asked for. */
  async list(
    principal: Principal,
    params: ListParameters,
    now = Date.now(),
  ): Promise<TripListResult> {
    const target = await resolveActingTarget(
      this.db,
      principal,
      { useridType: params.userid_type, useridValue: params.userid_value },
      { adminRoles: READ_ADMIN_ROLES, allowAll: true },
    );
    const includeCanceled = booleanParam(params, 'includeCanceledTrips');
    const excludedStatuses = excludedStatusesFor(
      includeCanceled,
      booleanParam(params, 'includeVirtualTrip'),
    );
    // Itinera keeps no guest bookings apart from the traveller's own, so the flag only validates.
    booleanParam(params, 'includeGuestBookings');
    const filter: TripListFilter =
      target.kind === 'all'
        ? { companyIds: target.companyIds, excludedStatuses }
        : { companyIds: [target.user.company_id], ownerId: target.user.id, excludedStatuses };

    const start = dateParam(params, 'startDate');
    const end = dateParam(params, 'endDate');
    // With no date filter the window is today − 30 days … today + 12 months (SPEC §2.1 says
    // "no query parameters"; user, paging and type parameters do not lift it: COMPATIBILITY.md).
    if (DATE_FILTERS.every((name) => !params[name])) {
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
    if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) {
      throw errors.badRequest('startDate must not be after endDate.');
    }
    const createdAfter = dateParam(params, 'createdAfterDate');
    const createdBefore = dateParam(params, 'createdBeforeDate');
    const modified = dateParam(params, 'lastModifiedDate');
    if (createdAfter) filter.createdFrom = createdAfter.ms;
    if (createdBefore) filter.createdTo = inclusiveEnd(createdBefore);
    if (modified) filter.modifiedFrom = modified.ms;
    const bookingType = params.bookingtype;
    if (bookingType !== undefined && bookingType !== '') {
      const type = segmentTypeNamed(bookingType);
      if (!type) {
        throw errors.badRequest(
          `bookingType must be one of Air, Car, Dining, Hotel, Parking, Rail, Ride, Event, Travel (got '${bookingType}').`,
        );
      }
      filter.bookingType = type;
    }
    if (params.tripid) filter.tripId = params.tripid;
    const agencyId = agencyOf(principal.app);
    if (agencyId !== null) filter.agencyId = agencyId;

    const withMetadata = booleanParam(params, 'includeMetadata');
    const page = positiveInt(params, 'Page', 1_000_000);
    const requestedSize = positiveInt(params, 'ItemsPerPage', MAX_ITEMS_PER_PAGE);
    // Defaults (SPEC §5): 200 per page when Page is sent, 1000 when it is not.
    const itemsPerPage = requestedSize ?? (page !== undefined ? 200 : 1000);
    const currentPage = page ?? 1;
    const showLoginId = isAdmin(principal, READ_ADMIN_ROLES);

    const rows = await listTrips(this.db, filter, {
      limit: withMetadata ? itemsPerPage : MAX_ITEMS_PER_PAGE * 10,
      offset: withMetadata ? (currentPage - 1) * itemsPerPage : 0,
    });
    const audience = audienceOf(principal);
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
    const result: TripListResult = { items, includeStatus: includeCanceled };
    if (withMetadata) {
      const offset = (currentPage - 1) * itemsPerPage;
      // A page that is not full (and not past the end) already tells the total.
      const totalItems =
        rows.length > 0 && rows.length < itemsPerPage
          ? offset + rows.length
          : await countTrips(this.db, filter);
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
