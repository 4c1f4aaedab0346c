/**
 * Date helpers shared by the domain and the presenters. The wire format for every date is
 * `YYYY-MM-DDThh:mm:ss` without an offset (NOTES §1); instants are epoch milliseconds.
 */

/** Formats an instant as `YYYY-MM-DDThh:mm:ss` in UTC. */
export function formatUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/** `Server-Time` of error bodies: the server's local wall-clock time (NOTES §6). */
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
  return Date.parse(`${value}Z`);
}

const QUERY_DATE = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * Parses a query-string date: `YYYY-MM-DD` or `YYYY/MM/DD` (what every Concur example sends),
 * optionally with `Thh:mm[:ss]`. Returns the instant (UTC) and whether a time was given, or
 * undefined when the value is not such a date.
 */
export function parseQueryDate(value: string): { ms: number; hasTime: boolean } | undefined {
  const match = QUERY_DATE.exec(value.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match;
  const ms = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h ?? 0),
    Number(mi ?? 0),
    Number(s ?? 0),
  );
  const check = new Date(ms);
  // Reject rolled-over values such as 2021-02-30 or 25:00.
  if (
    check.getUTCFullYear() !== Number(y) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    check.getUTCHours() !== Number(h ?? 0) ||
    check.getUTCMinutes() !== Number(mi ?? 0)
  ) {
    return undefined;
  }
  return { ms, hasTime: h !== undefined };
}

export const DAY_MS = 24 * 60 * 60 * 1000;
