/**
 * UTC offsets of IANA zones, read from ICU through `Intl.DateTimeFormat`. One formatted date
 * costs about 2 µs, and converting a local time needs two to four of them; a trip holds a
 * dozen times or more. For the years around now, where nearly every itinerary lies, each
 * zone's offsets over a UTC year are read once (the offset on January 1st and the instant of
 * every change, found by sampling each day and bisecting to the second) and then looked up.
 * Other years are read from ICU each time: caching them would let a client make the process
 * scan any number of years.
 */

const FORMATTED = /^(\d{1,2})\/(\d{1,2})\/(\d+), (\d{1,2}):(\d{2}):(\d{2})$/;
const DAY_MS = 86_400_000;
/** Years cached: this many before and after the current one. */
const CACHED_YEARS_AROUND_NOW = 5;

/** Offset (ms, east positive) of the formatter's zone at the UTC instant `t` (whole seconds). */
export function offsetFromIcu(fmt: Intl.DateTimeFormat, t: number): number {
  // `format` + a regex is ~3x faster than `formatToParts`; the latter stays as a fallback in case
  // a future ICU changes the en-US pattern.
  const m = FORMATTED.exec(fmt.format(t));
  if (m !== null) {
    const [month, day, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return Date.UTC(year, month - 1, day, Number(m[4]), Number(m[5]), Number(m[6])) - t;
  }
  const part: Record<string, number> = {};
  for (const p of fmt.formatToParts(t)) part[p.type] = Number(p.value);
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = part;
  return Date.UTC(year, month - 1, day, hour % 24, minute, second) - t;
}

/** A zone's offsets over one UTC year: the first, then each change (instant, new offset). */
interface YearOffsets {
  first: number;
  changes: [at: number, offset: number][];
}

const years = new Map<string, YearOffsets>();

function readYear(fmt: Intl.DateTimeFormat, year: number): YearOffsets {
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  const first = offsetFromIcu(fmt, start);
  const changes: [number, number][] = [];
  let previous = first;
  for (let day = start + DAY_MS; day <= end; day += DAY_MS) {
    const offset = offsetFromIcu(fmt, day);
    if (offset === previous) continue;
    // The change lies in (day − 1 day, day]: bisect to the second (changes fall on seconds).
    let before = (day - DAY_MS) / 1000;
    let after = day / 1000;
    while (after - before > 1) {
      const middle = Math.floor((before + after) / 2);
      if (offsetFromIcu(fmt, middle * 1000) === previous) before = middle;
      else after = middle;
    }
    changes.push([after * 1000, offset]);
    previous = offset;
  }
  return { first, changes };
}

/**
 * Offset (ms, east positive) of `zone` (whose formatter is `fmt`) at the UTC instant `t`, a
 * whole number of seconds: the same as {@link offsetFromIcu}, from the cache when it can.
 */
export function zoneOffsetAt(zone: string, fmt: Intl.DateTimeFormat, t: number): number {
  const year = new Date(t).getUTCFullYear();
  const thisYear = new Date().getUTCFullYear();
  if (Math.abs(year - thisYear) > CACHED_YEARS_AROUND_NOW) return offsetFromIcu(fmt, t);
  const key = `${zone}|${year}`;
  let offsets = years.get(key);
  if (offsets === undefined) {
    offsets = readYear(fmt, year);
    years.set(key, offsets);
  }
  let offset = offsets.first;
  for (const [at, next] of offsets.changes) {
    if (t < at) break;
    offset = next;
  }
  return offset;
}
