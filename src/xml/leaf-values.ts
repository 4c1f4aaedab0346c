/**
 * Validation and normalisation of leaf element values (the text of a simple XSD element).
 *
 * Values are normalised to one canonical text per type so that stored documents compare and sort
 * predictably: dates as `YYYY-MM-DDThh:mm:ss`, decimals with at least 4 fraction digits (the form
 * the service emits, NOTES §1 "Decimals"), integers without sign noise, booleans as `true|false`.
 * String facets other than lengths (patterns, enumerations) are deliberately not enforced because
 * documented payloads violate them (NOTES §10 items 27, 29, 38).
 */
import { errors } from '../errors.js';
import type { LeafElement } from './schema.js';

/** Longest decimal text we accept; anything longer is not a real amount or coordinate. */
const MAX_DECIMAL_LENGTH = 40;
const MAX_INTEGER = '9223372036854775807';

/**
 * Normalises the text `raw` of leaf `def`; `path` names the element in error messages.
 * Returns undefined when a typed (non-string) leaf is empty, i.e. the element counts as absent.
 * Throws `invalid_value` (400) when the value does not fit the type or a length facet.
 */
export function normalizeLeaf(def: LeafElement, raw: string, path: string): string | undefined {
  const override = OVERRIDES[def.name];
  if (override && override.appliesTo === def.type) return override.normalize(raw, path);
  if (def.type === 'string') return checkLength(def, raw, path);
  const text = raw.trim();
  if (text === '') return undefined;
  switch (def.type) {
    case 'dateTime':
      return normalizeDateTime(text, path, /(?:Utc|UTC)$/.test(def.name));
    case 'decimal':
      return normalizeDecimal(text, path);
    case 'integer':
      return normalizeInteger(text, path);
    case 'unsignedByte':
      return normalizeUnsignedByte(text, path);
    case 'boolean':
      return normalizeBoolean(text, path);
  }
}

interface Override {
  /** The XSD type the quirk relaxes; a differently typed element of that name is not affected. */
  appliesTo: LeafElement['type'];
  normalize(raw: string, path: string): string | undefined;
}

/**
 * Documented payloads that break the XSD type and must still be accepted and echoed verbatim:
 * - NOTES §10 item 10: TRIP Example 2 posts `<TripStatus>HK</TripStatus>` (a GDS status code)
 *   although TripStatus is `xs:unsignedByte`.
 * - NOTES §10 item 11: TRIP Example 2 posts `<TimeZoneId>Pacific</TimeZoneId>` although it is
 *   `xs:integer`.
 * - NOTES §10 item 25: ITIN documents Itinerary `IsPersonal` as "Business, Leisure" although it
 *   is `xs:boolean`: those words are accepted (and kept as sent), like true/false.
 * - NOTES §10 item 26: TMC3P/ITIN document Air `IsPreferredVendor` as True/False although it is
 *   `xs:integer` (samples send 1): true/false are accepted and kept as sent.
 */
const OVERRIDES: Readonly<Record<string, Override>> = {
  TripStatus: {
    appliesTo: 'unsignedByte',
    normalize(raw, path) {
      const text = raw.trim();
      if (text === '') return undefined;
      return /^[A-Za-z]{2}$/.test(text) ? text : normalizeUnsignedByte(text, path);
    },
  },
  IsPersonal: {
    appliesTo: 'boolean',
    normalize(raw, path) {
      const text = raw.trim();
      if (text === '') return undefined;
      return /^(business|leisure)$/i.test(text) ? text : normalizeBoolean(text, path);
    },
  },
  IsPreferredVendor: {
    appliesTo: 'integer',
    normalize(raw, path) {
      const text = raw.trim();
      if (text === '') return undefined;
      return /^(true|false)$/i.test(text) ? text.toLowerCase() : normalizeInteger(text, path);
    },
  },
  TimeZoneId: {
    appliesTo: 'integer',
    normalize(raw, path) {
      const text = raw.trim();
      if (text === '') return undefined;
      if (/^[+-]?\d+$/.test(text)) return normalizeInteger(text, path);
      if (codePointLength(text) > 64)
        invalid(path, 'must be an integer or a name of at most 64 characters');
      return text;
    },
  },
};

function invalid(path: string, detail: string): never {
  throw errors.invalidValue(path, detail);
}

/** Shows a rejected value in a message without echoing an arbitrarily long input. */
function shown(text: string): string {
  return `'${text.length > 40 ? `${text.slice(0, 40)}…` : text}'`;
}

/** Length in Unicode code points, as XSD length facets count characters. */
function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

function checkLength(def: LeafElement, raw: string, path: string): string {
  // Fast path: UTF-16 length is an upper bound of the code point count.
  if (def.maxLength !== undefined && raw.length > def.maxLength) {
    const n = codePointLength(raw);
    if (n > def.maxLength) {
      invalid(path, `must be at most ${def.maxLength} characters long (got ${n})`);
    }
  }
  // '' stays allowed: payloads say "no value" with an empty element (the TMC guide sample sends
  // `<Cabin />`, `<ConfirmationNumber />`, …), and '' is what we echo back for it.
  if (def.length !== undefined && raw !== '' && codePointLength(raw) !== def.length) {
    invalid(path, `must be exactly ${def.length} characters long (got ${codePointLength(raw)})`);
  }
  return raw;
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * `YYYY-MM-DD[Thh:mm[:ss[.fff]]][Z|±hh:mm]` → `YYYY-MM-DDThh:mm:ss`. Fractions are dropped.
 * For `*Utc` elements an offset is applied (the value becomes UTC); for local-time elements the
 * offset is dropped and the wall-clock time kept, as the TMC guide sample shows (NOTES §1 "Dates").
 */
function normalizeDateTime(text: string, path: string, isUtc: boolean): string {
  const m = DATE_TIME.exec(text);
  const bad = () => invalid(path, `expected a date-time YYYY-MM-DDThh:mm:ss, got ${shown(text)}`);
  if (!m) return bad();
  const [, y, mo, d, h = '00', mi = '00', s = '00', zone] = m;
  let year = Number(y);
  let month = Number(mo);
  let day = Number(d);
  let hour = Number(h);
  let minute = Number(mi);
  const second = Number(s);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) bad();
  if (hour > 23 || minute > 59 || second > 59) bad();
  const offset =
    zone && zone !== 'Z' ? Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)) : 0;
  // XSD allows offsets up to ±14:00.
  if (offset > 14 * 60 || Number(zone?.slice(4, 6) ?? 0) > 59) bad();
  if (isUtc && offset !== 0) {
    const sign = zone?.[0] === '-' ? -1 : 1;
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    date.setUTCHours(hour, minute - sign * offset, second);
    year = date.getUTCFullYear();
    if (year < 1 || year > 9999) bad();
    month = date.getUTCMonth() + 1;
    day = date.getUTCDate();
    hour = date.getUTCHours();
    minute = date.getUTCMinutes();
  }
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}`;
}

/**
 * `[+-]digits[.digits]` → canonical text with at least 4 fraction digits, computed on the string
 * (no floating point): `333.75` → `333.7500`, `-0.5` → `-0.5000`, `-0` → `0.0000`.
 */
function normalizeDecimal(text: string, path: string): string {
  if (text.length > MAX_DECIMAL_LENGTH) {
    invalid(path, `a decimal may have at most ${MAX_DECIMAL_LENGTH} characters`);
  }
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) {
    return invalid(path, `expected a decimal number, got ${shown(text)}`);
  }
  const intPart = (m[2] ?? '').replace(/^0+/, '') || '0';
  const fraction = (m[3] ?? '').padEnd(4, '0');
  const isZero = intPart === '0' && /^0*$/.test(fraction);
  return `${m[1] === '-' && !isZero ? '-' : ''}${intPart}.${fraction}`;
}

/** `[+-]digits` → digits without '+' or leading zeros, within ±(2^63−1). */
function normalizeInteger(text: string, path: string): string {
  const m = /^([+-]?)(\d+)$/.exec(text);
  if (!m) return invalid(path, `expected an integer, got ${shown(text)}`);
  const digits = (m[2] ?? '').replace(/^0+/, '') || '0';
  if (
    digits.length > MAX_INTEGER.length ||
    (digits.length === MAX_INTEGER.length && digits > MAX_INTEGER)
  ) {
    invalid(path, 'the integer is out of range');
  }
  return m[1] === '-' && digits !== '0' ? `-${digits}` : digits;
}

function normalizeUnsignedByte(text: string, path: string): string {
  const m = /^\+?(\d+)$/.exec(text);
  const value = m ? Number(m[1]) : Number.NaN;
  if (!(value >= 0 && value <= 255)) {
    invalid(path, `expected an integer from 0 to 255, got ${shown(text)}`);
  }
  return String(value);
}

function normalizeBoolean(text: string, path: string): string {
  const lower = text.toLowerCase();
  if (lower === 'true' || lower === '1') return 'true';
  if (lower === 'false' || lower === '0') return 'false';
  return invalid(path, `expected true or false, got ${shown(text)}`);
}
