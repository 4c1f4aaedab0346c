/**
 * A trip's bookings as the opportunity rules read them: one flat time line of its live
 * segments, each with its type, cities (compared by metropolitan area), local times and postal
 * codes. Pure: no storage, no wire format.
 */
import { wallClockToMs } from '../../../domain/dates.js';
import { METRO_AREAS } from '../../../domain/time/metro-codes.js';
import { leaf, list, type XmlNode } from '../../../xml/document.js';

/** One segment on the time line. */
export interface TimelineSegment {
  type: string;
  /** IATA city or airport codes as booked (upper case), when known. */
  startCity?: string;
  endCity?: string;
  /** Local wall-clock times `YYYY-MM-DDThh:mm:ss`, when known. */
  startLocal?: string;
  endLocal?: string;
  startPostal?: string;
  endPostal?: string;
  /** The local times read as UTC: only for ordering and gaps within one place. */
  startMs?: number;
  endMs?: number;
}

/** GDS statuses of segments that are no longer held (cancelled, unable, no action). */
const DEAD_STATUSES = new Set(['XX', 'HX', 'UN', 'UC', 'NO', 'XK']);

/** Metro code of each member airport: FCO → ROM, LIN → MIL. */
const METRO_OF_AIRPORT: ReadonlyMap<string, string> = new Map(
  Object.entries(METRO_AREAS).flatMap(([metro, area]) =>
    area.airports.map((airport): [string, string] => [airport, metro]),
  ),
);

/** The city a code belongs to, for comparisons: an airport's metropolitan area, else itself. */
export function cityKey(code: string | undefined): string | undefined {
  if (!code) return undefined;
  const upper = code.trim().toUpperCase();
  return METRO_OF_AIRPORT.get(upper) ?? upper;
}

/** A three-letter code, upper case; anything else (a city name) is not a code. */
function code(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed && /^[A-Za-z]{3}$/.test(trimmed) ? trimmed.toUpperCase() : undefined;
}

/** A local date-time in the wire form `YYYY-MM-DDThh:mm:ss`, or undefined. */
function local(value: string | undefined): string | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return undefined;
  const text = value.length >= 19 ? value.slice(0, 19) : `${value.slice(0, 16)}:00`;
  return Number.isNaN(wallClockToMs(text)) ? undefined : text;
}

function postal(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed.slice(0, 20) : undefined;
}

/** One segment of a booking on the time line, or undefined when it is not held any more. */
export function timelineSegment(type: string, node: XmlNode): TimelineSegment | undefined {
  const status = leaf(node, 'Status')?.trim().toUpperCase();
  if (status && DEAD_STATUSES.has(status)) return undefined;
  if (leaf(node, 'CancellationNumber') || leaf(node, 'DateCancelledUtc')) return undefined;
  // Hotels often carry the city code in StartCity (the TMC guide's `ROM`).
  const startCity = code(leaf(node, 'StartCityCode')) ?? code(leaf(node, 'StartCity'));
  const endCity = code(leaf(node, 'EndCityCode')) ?? code(leaf(node, 'EndCity'));
  const segment: TimelineSegment = { type };
  const startLocal = local(leaf(node, 'StartDateLocal'));
  const endLocal = local(leaf(node, 'EndDateLocal'));
  if (startCity) segment.startCity = startCity;
  if (endCity) segment.endCity = endCity;
  if (startLocal) {
    segment.startLocal = startLocal;
    segment.startMs = wallClockToMs(startLocal);
  }
  if (endLocal) {
    segment.endLocal = endLocal;
    segment.endMs = wallClockToMs(endLocal);
  }
  const startPostal = postal(leaf(node, 'StartPostalCode'));
  const endPostal = postal(leaf(node, 'EndPostalCode'));
  if (startPostal) segment.startPostal = startPostal;
  if (endPostal) segment.endPostal = endPostal;
  return segment;
}

/**
 * The live segments of a trip's bookings (cancelled bookings keep their segments aside, out of
 * `Segments`), ordered by local start time; segments without a start time go last.
 */
export function tripTimeline(bookings: readonly XmlNode[]): TimelineSegment[] {
  const segments: TimelineSegment[] = [];
  for (const booking of bookings) {
    for (const item of list(booking, 'Segments')) {
      const segment = timelineSegment(item.element, item.node);
      if (segment) segments.push(segment);
    }
  }
  const at = (s: TimelineSegment) => s.startMs ?? Number.MAX_SAFE_INTEGER;
  return segments.sort((a, b) => at(a) - at(b));
}
