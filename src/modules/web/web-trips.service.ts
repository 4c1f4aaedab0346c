/**
 * What the web app's pages show, read through the itineraries module with the caller's
 * principal, so that the API's access rules apply unchanged: the traveller's own trips (the
 * v1.1 list), one of them (v1.1's details, narrowed to the user's own: an administrator's
 * colleague's trip is not found either), and for company administrators where the company's
 * travellers are on a day (the v1.1 list of `ALL` users, which needs a read administrator role,
 * then the trips' bookings in one query).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { DAY_MS } from '../../domain/dates.js';
import { AppError, errors } from '../../errors.js';
import { leaf } from '../../xml/document.js';
import type { Principal } from './module-ports.js';
import {
  audienceOf,
  findBookingsOfTrips,
  type ItineraryServices,
  type TripSummaryView,
  visibleBooking,
} from './module-ports.js';
import { type SegmentPlace, type TimelineEntry, tripTimeline, whereOn } from './trip-timeline.js';

/** How far back the past tab and ahead the upcoming tab reach. */
const PAST_DAYS = 365;
const AHEAD_DAYS = 2 * 365;
/** Most trips one list or one day shows (the duty of care page says when it is cut). */
export const MAX_TRIPS = 500;

export interface TripLists {
  upcoming: TripSummaryView[];
  past: TripSummaryView[];
}

export interface TripPage {
  id: string;
  name: string;
  status: number;
  entries: TimelineEntry[];
}

export interface TravellerOnDay {
  name: string;
  loginId?: string;
  tripId: string;
  tripName: string;
  place?: SegmentPlace;
}

export interface DutyOfCare {
  date: string;
  travellers: TravellerOnDay[];
  /** True when more trips overlap the day than the page shows. */
  truncated: boolean;
}

/** `YYYY-MM-DD` of an instant, in UTC. */
function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export class WebTripsService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly itineraries: Pick<ItineraryServices, 'trips' | 'lists'>,
  ) {}

  /** The caller's own trips of the past year and the next two: upcoming (or under way) and past. */
  async tripLists(principal: Principal, now = Date.now()): Promise<TripLists> {
    const { lists } = this.itineraries;
    const target = await lists.target(principal, {});
    const result = await lists.list(principal, target, {
      startDate: { ms: now - PAST_DAYS * DAY_MS, hasTime: true },
      endDate: { ms: now + AHEAD_DAYS * DAY_MS, hasTime: true },
      includeCanceledTrips: true,
      includeMetadata: true,
      itemsPerPage: MAX_TRIPS,
      page: 1,
    });
    const today = isoDate(now);
    const ended = (trip: TripSummaryView) => (trip.endLocal ?? trip.startLocal ?? '') < today;
    const byStart = (a: TripSummaryView, b: TripSummaryView) =>
      (a.startLocal ?? '').localeCompare(b.startLocal ?? '');
    return {
      upcoming: result.items.filter((trip) => !ended(trip)).sort(byStart),
      past: result.items.filter(ended).sort((a, b) => byStart(b, a)),
    };
  }

  /**
   * The caller's trips of the past year that can be expensed now (the list's `readyToExpense`:
   * Concur's rule with the company's PreExpenseAir option), latest first.
   */
  async readyToExpense(principal: Principal, now = Date.now()): Promise<TripSummaryView[]> {
    const { lists } = this.itineraries;
    const target = await lists.target(principal, {});
    const result = await lists.list(principal, target, {
      startDate: { ms: now - PAST_DAYS * DAY_MS, hasTime: true },
      endDate: { ms: now + AHEAD_DAYS * DAY_MS, hasTime: true },
      readyToExpense: true,
      includeMetadata: true,
      itemsPerPage: MAX_TRIPS,
      page: 1,
    });
    return [...result.items].sort((a, b) => (b.startLocal ?? '').localeCompare(a.startLocal ?? ''));
  }

  /** One of the caller's trips with its time line; 404 (AppError) for any other id. */
  async trip(principal: Principal, tripId: string): Promise<TripPage> {
    let opened: Awaited<ReturnType<ItineraryServices['trips']['open']>>;
    try {
      opened = await this.itineraries.trips.open(principal, {}, tripId);
    } catch (error) {
      // The API answers 403 for a colleague's trip; a page tells no more than "not found".
      if (error instanceof AppError && error.httpStatus === 403) throw errors.tripNotFound(tripId);
      throw error;
    }
    // The API lets a read administrator open a colleague's trip by id; the page is the user's
    // own trips only (docs/WEB-APP.md), as the trip list is.
    if (opened.owner.id !== principal.user?.id) throw errors.tripNotFound(tripId);
    const view = await opened.load();
    const audience = audienceOf(principal);
    return {
      id: view.id,
      name: leaf(view.document, 'TripName') ?? '',
      status: view.status,
      entries: tripTimeline(view.bookings.map((booking) => visibleBooking(booking, audience))),
    };
  }

  /**
   * Where the companies' travellers are on `date` (`YYYY-MM-DD`): one row per live trip
   * overlapping the day. 403 (AppError) unless the caller may list every user's trips.
   */
  async dutyOfCare(principal: Principal, date: string): Promise<DutyOfCare> {
    const { lists } = this.itineraries;
    const target = await lists.target(principal, { useridType: 'login', useridValue: 'ALL' });
    const day = Date.parse(`${date}T00:00:00Z`);
    const result = await lists.list(principal, target, {
      startDate: { ms: day, hasTime: false },
      endDate: { ms: day, hasTime: false },
      includeMetadata: true,
      itemsPerPage: MAX_TRIPS,
      page: 1,
    });
    const tripIds = result.items.map((trip) => trip.tripId);
    const bookings = new Map<string, ReturnType<typeof visibleBooking>[]>();
    const audience = audienceOf(principal);
    for (const booking of await findBookingsOfTrips(this.db, tripIds)) {
      const list = bookings.get(booking.tripId) ?? [];
      list.push(visibleBooking(booking.document, audience));
      bookings.set(booking.tripId, list);
    }
    const travellers = result.items.map((trip): TravellerOnDay => {
      const name = [trip.travelerFirst, trip.travelerLast].filter(Boolean).join(' ');
      const place = whereOn(tripTimeline(bookings.get(trip.tripId) ?? []), date);
      return {
        name: name || trip.userLoginId || '',
        ...(trip.userLoginId ? { loginId: trip.userLoginId } : {}),
        tripId: trip.tripId,
        tripName: trip.tripName,
        ...(place ? { place } : {}),
      };
    });
    const city = (row: TravellerOnDay) => row.place?.place?.city ?? row.place?.text ?? '\uffff';
    travellers.sort((a, b) => city(a).localeCompare(city(b)) || a.name.localeCompare(b.name));
    return {
      date,
      travellers,
      truncated: (result.paging?.totalItems ?? 0) > travellers.length,
    };
  }
}
