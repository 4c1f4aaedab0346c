/**
 * Segment timing: UTC derived from the segment's `TimeZone`, else the supplied UTC, else the
 * IATA city/airport code (SPEC §4 "Time zones"); and the instants used to order segments and
 * to place trips on the time line.
 */
import { leaf, type XmlNode } from '../xml/document.js';
import { wallClockToMs } from './dates.js';
import { localToUtc, resolveTimeZone } from './time/time-zone.js';

export interface SegmentSpan {
  startLocal?: string;
  endLocal?: string;
  startUtc?: string;
  endUtc?: string;
  /** Start/end instants: UTC when known, else the local time read as UTC. */
  startAt?: number;
  endAt?: number;
}

/**
 * Fills `StartDateUtc`/`EndDateUtc` of a segment in place when a zone can be resolved, and
 * returns the segment's span. A zone from `TimeZone` or a city code wins over supplied UTC
 * values, as the TMC guide's response shows (SPEC §2.3); without a zone the supplied UTC
 * values are kept, and without either the UTC fields stay absent.
 */
export function applySegmentTimes(segment: XmlNode): SegmentSpan {
  const timeZone = leaf(segment, 'TimeZone') || undefined;
  const startCity = leaf(segment, 'StartCityCode') || undefined;
  const endCity = leaf(segment, 'EndCityCode') || startCity;
  const startLocal = leaf(segment, 'StartDateLocal') || undefined;
  const endLocal = leaf(segment, 'EndDateLocal') || undefined;

  if (startLocal) {
    const utc = toUtc(startLocal, resolveTimeZone({ timeZone, cityCode: startCity }));
    if (utc) segment.StartDateUtc = utc;
  }
  if (endLocal) {
    const utc = toUtc(endLocal, resolveTimeZone({ timeZone, cityCode: endCity }));
    if (utc) segment.EndDateUtc = utc;
  }
  const startUtc = leaf(segment, 'StartDateUtc') || undefined;
  const endUtc = leaf(segment, 'EndDateUtc') || undefined;
  const startAt = instant(startUtc, startLocal);
  const endAt = instant(endUtc, endLocal) ?? startAt;
  return { startLocal, endLocal, startUtc, endUtc, startAt, endAt };
}

/** UTC of a local time in a zone; undefined without a zone or outside the convertible years. */
function toUtc(local: string, zone: string | undefined): string | undefined {
  if (!zone) return undefined;
  try {
    return localToUtc(local, zone);
  } catch {
    // localToUtc refuses years outside 1000–9999; such a local time keeps no UTC.
    return undefined;
  }
}

function instant(utc: string | undefined, local: string | undefined): number | undefined {
  if (utc) return wallClockToMs(utc);
  if (local) return wallClockToMs(local);
  return undefined;
}
