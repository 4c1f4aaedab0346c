/**
 * Date helpers shared by the domain and the presenters. The wire format for every date is
 * `YYYY-MM-DDThh:mm:ss` without an offset (SPEC §1); instants are epoch milliseconds.
 */

/** Formats an instant as `YYYY-MM-DDThh:mm:ss` in UTC. */
export function formatUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/** `Server-Time` of error bodies: the server's local wall-clock time (SPEC §6). */
export function formatServerTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(
    date.getHours(),
  )}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/**
 * Reads a normalised `YYYY-MM-DDThh:mm:ss` value as if it were UTC. Used for UTC values and,
 * when no zone is known, to place local times on the time line approximately.
 */
export function wallClockToMs(value: string): number {
  // The canonical form, read field by field: Date.parse's general parser costs several times
  // more, and this runs for every segment date of every trip write.
  if (
    value.length === 19 &&
    value[4] === '-' &&
    value[7] === '-' &&
    value[10] === 'T' &&
    value[13] === ':' &&
    value[16] === ':'
  ) {
    const year = digitsAt(value, 0, 4);
    const month = digitsAt(value, 5, 7);
    const day = digitsAt(value, 8, 10);
    const hour = digitsAt(value, 11, 13);
    const minute = digitsAt(value, 14, 16);
    const second = digitsAt(value, 17, 19);
    // Within these ranges Date.parse agrees with Date.UTC (days past a month's end roll over
    // in both); anything else (NaN included) is left to Date.parse.
    if (year >= 1000 && month >= 1 && month <= 12 && day >= 1 && day <= 31) {
      // 24:00:00 is XSD's end of the day: Date.UTC rolls it over to the next day's midnight.
      if ((hour <= 23 && minute <= 59 && second <= 59) || (hour === 24 && minute + second === 0)) {
        return Date.UTC(year, month - 1, day, hour, minute, second);
      }
    }
  }
  return Date.parse(`${value}Z`);
}

/** The decimal number written by `s[from…to)`, or NaN when a character is not an ASCII digit. */
function digitsAt(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    n = n * 10 + d;
  }
  return n;
}

const QUERY_DATE = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * Parses a query-string date: `YYYY-MM-DD` or `YYYY/MM/DD` (what every Concur example sends),
 * optionally with `Thh:mm[:ss]`. `T24:00[:00]`, XSD's end of the day, is the next day's
 * midnight. Returns the instant (UTC) and whether a time was given, or undefined when the value
 * is not such a date.
 */
export function parseQueryDate(value: string): { ms: number; hasTime: boolean } | undefined {
  const match = QUERY_DATE.exec(value.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match;
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  const endOfDay = hour === 24 && minute === 0 && second === 0;
  const midnight = Date.UTC(Number(y), Number(mo) - 1, Number(d));
  const check = new Date(midnight);
  // Reject rolled-over values such as 2021-02-30 or 25:00.
  if (
    check.getUTCFullYear() !== Number(y) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    (!endOfDay && (hour > 23 || minute > 59 || second > 59))
  ) {
    return undefined;
  }
  return { ms: midnight + ((hour * 60 + minute) * 60 + second) * 1000, hasTime: h !== undefined };
}

export const DAY_MS = 24 * 60 * 60 * 1000;
