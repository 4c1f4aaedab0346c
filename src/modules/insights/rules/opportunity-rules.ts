/**
 * The opportunity rules (docs/INSIGHTS.md): the gaps in a trip that a supplier could fill,
 * found on the trip's time line. Pure functions of the time line; the service applies them to
 * the trips a caller may see, as that caller may see them.
 *
 * - Hotel: the traveller arrives in a city (by air or rail) and leaves it on a later local
 *   date, and no hotel stay overlaps those nights.
 * - Car: the traveller arrives by air, no car, ride or train starts within the arrival window,
 *   and stays overnight before leaving again.
 * - Taxi: the same arrival without ground transport, but leaving the same day or not leaving
 *   again within the trip (the last flight home).
 * - Air: the trip's travel ends in another city than it started from (a one-way outbound):
 *   the return flight.
 */
import { cityKey, type TimelineSegment } from './trip-timeline.js';

/** The opportunity types of the reference ('Hotel', 'Car', 'Air', 'Rail', 'Taxi', 'Service'). */
export const OPPORTUNITY_TYPES = ['Hotel', 'Car', 'Air', 'Rail', 'Taxi', 'Service'] as const;
export type OpportunityType = (typeof OPPORTUNITY_TYPES)[number];

/** An opportunity as the rules find it (ids and links are the presenter's). */
export interface OpportunityDraft {
  type: OpportunityType;
  startCity?: string;
  endCity?: string;
  startLocal?: string;
  endLocal?: string;
  startPostal?: string;
  endPostal?: string;
}

/** Segments that carry the traveller from one city to another. */
const TRANSPORT_TYPES = new Set(['Air', 'Rail']);
/** Segments that take the traveller on from an airport. */
const GROUND_TYPES = new Set(['Car', 'Ride', 'Rail']);
/** Segments whose place gives an opportunity a postal code. */
const PLACE_TYPES = new Set(['Hotel', 'Car', 'Ride', 'Dining', 'Event', 'Parking']);

const HOUR_MS = 3_600_000;
/** Ground transport counts as onward when it starts from 2 h before to 12 h after landing. */
const ONWARD_BEFORE_MS = 2 * HOUR_MS;
const ONWARD_AFTER_MS = 12 * HOUR_MS;

const dateOf = (local: string) => local.slice(0, 10);

/** An arrival in a city and, when the trip goes on from there, the next departure. */
interface Stay {
  arrival: TimelineSegment & { endLocal: string; endMs: number; endCity: string };
  departure?: TimelineSegment & { startLocal: string; startMs: number };
}

function isArrival(segment: TimelineSegment): segment is Stay['arrival'] {
  return (
    TRANSPORT_TYPES.has(segment.type) &&
    segment.endLocal !== undefined &&
    segment.endMs !== undefined &&
    segment.endCity !== undefined
  );
}

/** Each arrival by air or rail, with the next transport leaving after it. */
function staysOf(timeline: readonly TimelineSegment[]): Stay[] {
  const transports = timeline.filter((s) => TRANSPORT_TYPES.has(s.type));
  const stays: Stay[] = [];
  for (const arrival of transports) {
    if (!isArrival(arrival)) continue;
    const departure = transports.find(
      (s) => s !== arrival && s.startMs !== undefined && s.startMs >= arrival.endMs,
    );
    stays.push(
      departure?.startLocal !== undefined && departure.startMs !== undefined
        ? {
            arrival,
            departure: {
              ...departure,
              startLocal: departure.startLocal,
              startMs: departure.startMs,
            },
          }
        : { arrival },
    );
  }
  return stays;
}

/** True when the stay spans at least one night (leaves on a later local date). */
function overnight(stay: Stay): stay is Required<Stay> {
  return (
    stay.departure !== undefined &&
    dateOf(stay.departure.startLocal) > dateOf(stay.arrival.endLocal)
  );
}

/** The postal code of a booked place in `city` (of the types given), if any is known. */
function postalIn(
  timeline: readonly TimelineSegment[],
  city: string,
  types: ReadonlySet<string>,
): string | undefined {
  for (const segment of timeline) {
    if (!types.has(segment.type)) continue;
    if (cityKey(segment.startCity) === city && segment.startPostal) return segment.startPostal;
    if (cityKey(segment.endCity ?? segment.startCity) === city && segment.endPostal) {
      return segment.endPostal;
    }
  }
  return undefined;
}

function withPostal(draft: OpportunityDraft, start?: string, end?: string): OpportunityDraft {
  if (start) draft.startPostal = start;
  if (end) draft.endPostal = end;
  return draft;
}

/** Hotel: nights in a city with no hotel stay overlapping them. */
export function hotelOpportunities(timeline: readonly TimelineSegment[]): OpportunityDraft[] {
  const hotels = timeline.filter((s) => s.type === 'Hotel' && s.startLocal && s.endLocal);
  const found: OpportunityDraft[] = [];
  for (const stay of staysOf(timeline)) {
    if (!overnight(stay)) continue;
    const firstNight = dateOf(stay.arrival.endLocal);
    const leaving = dateOf(stay.departure.startLocal);
    const covered = hotels.some(
      (h) => dateOf(h.startLocal as string) < leaving && dateOf(h.endLocal as string) > firstNight,
    );
    if (covered) continue;
    const city = cityKey(stay.arrival.endCity) as string;
    const place = postalIn(timeline, city, new Set([...PLACE_TYPES].filter((t) => t !== 'Hotel')));
    found.push(
      withPostal(
        {
          type: 'Hotel',
          startCity: stay.arrival.endCity,
          endCity: stay.arrival.endCity,
          startLocal: stay.arrival.endLocal,
          endLocal: stay.departure.startLocal,
        },
        place,
        place,
      ),
    );
  }
  return found;
}

/** Car or Taxi: an arrival by air with no ground transport onward. */
export function groundOpportunities(timeline: readonly TimelineSegment[]): OpportunityDraft[] {
  const found: OpportunityDraft[] = [];
  for (const stay of staysOf(timeline)) {
    const { arrival } = stay;
    if (arrival.type !== 'Air') continue;
    const onward = timeline.some(
      (s) =>
        GROUND_TYPES.has(s.type) &&
        s.startMs !== undefined &&
        s.startMs >= arrival.endMs - ONWARD_BEFORE_MS &&
        s.startMs <= arrival.endMs + ONWARD_AFTER_MS,
    );
    if (onward) continue;
    const city = cityKey(arrival.endCity) as string;
    const hotel = postalIn(timeline, city, new Set(['Hotel']));
    if (overnight(stay)) {
      found.push(
        withPostal(
          {
            type: 'Car',
            startCity: arrival.endCity,
            endCity: stay.departure.startCity ?? arrival.endCity,
            startLocal: arrival.endLocal,
            endLocal: stay.departure.startLocal,
          },
          hotel,
          hotel,
        ),
      );
    } else {
      found.push(
        withPostal(
          {
            type: 'Taxi',
            startCity: arrival.endCity,
            endCity: arrival.endCity,
            startLocal: arrival.endLocal,
            endLocal: arrival.endLocal,
          },
          undefined,
          hotel,
        ),
      );
    }
  }
  return found;
}

/** Air: travel ending in another city than it started from, with no transport back. */
export function returnOpportunities(timeline: readonly TimelineSegment[]): OpportunityDraft[] {
  const transports = timeline.filter((s) => TRANSPORT_TYPES.has(s.type));
  const first = transports[0];
  const last = transports.filter(isArrival).at(-1);
  if (!first?.startCity || !last) return [];
  if (cityKey(first.startCity) === cityKey(last.endCity)) return [];
  // The return is wanted once the last booked thing there ends (a hotel check-out, a car return).
  let until = last.endLocal;
  for (const segment of timeline) {
    if (segment.endLocal && segment.endLocal > until) until = segment.endLocal;
  }
  const hotel = postalIn(timeline, cityKey(last.endCity) as string, new Set(['Hotel']));
  return [
    withPostal(
      {
        type: 'Air',
        startCity: last.endCity,
        endCity: first.startCity,
        startLocal: last.endLocal,
        endLocal: until,
      },
      hotel,
    ),
  ];
}

/** Every opportunity of a trip's time line, in time order. */
export function opportunitiesOf(timeline: readonly TimelineSegment[]): OpportunityDraft[] {
  const all = [
    ...hotelOpportunities(timeline),
    ...groundOpportunities(timeline),
    ...returnOpportunities(timeline),
  ];
  return all.sort((a, b) => (a.startLocal ?? '').localeCompare(b.startLocal ?? ''));
}
