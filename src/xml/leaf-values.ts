/**
 * Validation and normalisation of leaf element values (the text of a simple XSD element).
 *
 * Values are normalised to one canonical text per type so that stored documents compare and sort
 * predictably: dates as `YYYY-MM-DDThh:mm:ss`, decimals with at least 4 fraction digits (the form
 * the service emits, SPEC §1 "Decimals"), integers without sign noise, booleans as `true|false`.
 * String facets other than lengths (patterns, enumerations) are deliberately not enforced because
 * documented payloads violate them (SPEC §10 items 27, 29, 38).
 */
import { errors } from '../errors.js';
import type { LeafElement } from './schema.js';

/** Longest decimal text we accept; anything longer is not a real amount or coordinate. */
const MAX_DECIMAL_LENGTH = 40;
const MAX_INTEGER = '9223372036854775807';

/** Why a leaf value was refused, without where: the caller adds the element's path. */
export class LeafValueError extends Error {}

/**
 * Normalises the text of one leaf definition. Returns undefined when a typed (non-string) leaf
 * is empty (the element counts as absent); throws `LeafValueError` when the value does not fit
 * the type or a length facet.
 */
export type LeafNormalizer = (raw: string) => string | undefined;

const normalizers = new WeakMap<LeafElement, LeafNormalizer>();

/**
 * The normalizer of leaf `def`, chosen once per definition (type, facets, documented quirks) so
 * that reading a value does no look-ups. The reader keeps them beside its element table.
 */
export function leafNormalizer(def: LeafElement): LeafNormalizer {
  let normalizer = normalizers.get(def);
  if (!normalizer) {
    normalizer = normalizerFor(def);
    normalizers.set(def, normalizer);
  }
  return normalizer;
}

/**
 * Normalises the text `raw` of leaf `def`; `path` names the element in error messages.
 * Returns undefined when a typed (non-string) leaf is empty, i.e. the element counts as absent.
 * Throws `invalid_value` (400) when the value does not fit the type or a length facet.
 */
export function normalizeLeaf(def: LeafElement, raw: string, path: string): string | undefined {
  try {
    return leafNormalizer(def)(raw);
  } catch (error) {
    if (error instanceof LeafValueError) throw errors.invalidValue(path, error.message);
    throw error;
  }
}

function normalizerFor(def: LeafElement): LeafNormalizer {
  const override = OVERRIDES[def.name];
  if (override && override.appliesTo === def.type) return override.normalize;
  switch (def.type) {
    case 'string':
      return def.maxLength === undefined && def.length === undefined
        ? (raw) => raw
        : (raw) => checkLength(def, raw);
    case 'dateTime': {
      const isUtc = /(?:Utc|UTC)$/.test(def.name);
      return (raw) => {
        const text = raw.trim();
        return text === '' ? undefined : normalizeDateTime(text, isUtc);
      };
    }
    case 'decimal':
      return typed(normalizeDecimal);
    case 'integer':
      return typed(normalizeInteger);
    case 'unsignedByte':
      return typed(normalizeUnsignedByte);
    case 'boolean':
      return typed(normalizeBoolean);
  }
}

/** A typed leaf: surrounding whitespace ignored, empty text absent. */
function typed(normalize: (text: string) => string): LeafNormalizer {
  return (raw) => {
    const text = raw.trim();
    return text === '' ? undefined : normalize(text);
  };
}

interface Override {
  /** The XSD type the quirk relaxes; a differently typed element of that name is not affected. */
  appliesTo: LeafElement['type'];
  normalize: LeafNormalizer;
}

/**
 * Documented payloads that break the XSD type and must still be accepted and echoed verbatim:
 * - SPEC §10 item 10: TRIP Example 2 posts `<TripStatus>HK</TripStatus>` (a GDS status code)
 *   although TripStatus is `xs:unsignedByte`.
 * - SPEC §10 item 11: TRIP Example 2 posts `<TimeZoneId>Pacific</TimeZoneId>` although it is
 *   `xs:integer`.
 * - SPEC §10 item 25: ITIN documents Itinerary `IsPersonal` as "Business, Leisure" although it
 *   is `xs:boolean`: those words are accepted (and kept as sent), like true/false.
 * - SPEC §10 item 26: TMC3P/ITIN document Air `IsPreferredVendor` as True/False although it is
 *   `xs:integer` (samples send 1): true/false are accepted and kept as sent.
 */
const OVERRIDES: Readonly<Record<string, Override>> = {
  TripStatus: {
    appliesTo: 'unsignedByte',
    normalize: typed((text) => (/^[A-Za-z]{2}$/.test(text) ? text : normalizeUnsignedByte(text))),
  },
  IsPersonal: {
    appliesTo: 'boolean',
    normalize: typed((text) =>
      /^(business|leisure)$/i.test(text) ? text : normalizeBoolean(text),
    ),
  },
  IsPreferredVendor: {
    appliesTo: 'integer',
    normalize: typed((text) =>
      /^(true|false)$/i.test(text) ? text.toLowerCase() : normalizeInteger(text),
    ),
  },
  TimeZoneId: {
    appliesTo: 'integer',
    normalize: typed((text) => {
      if (/^[+-]?\d+$/.test(text)) return normalizeInteger(text);
      if (codePointLength(text) > 64)
        invalid('must be an integer or a name of at most 64 characters');
      return text;
    }),
  },
};

function invalid(detail: string): never {
  throw new LeafValueError(detail);
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

function checkLength(def: LeafElement, raw: string): string {
  // Fast path: UTF-16 length is an upper bound of the code point count.
  if (def.maxLength !== undefined && raw.length > def.maxLength) {
    const n = codePointLength(raw);
    if (n > def.maxLength) invalid(`must be at most ${def.maxLength} characters long (got ${n})`);
  }
  // '' stays allowed: payloads say "no value" with an empty element (the TMC guide sample sends
  // `<Cabin />`, `<ConfirmationNumber />`, …), and '' is what we echo back for it.
  if (def.length !== undefined && raw !== '' && codePointLength(raw) !== def.length) {
    invalid(`must be exactly ${def.length} characters long (got ${codePointLength(raw)})`);
  }
  return raw;
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}:\d{2})?$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Two ASCII digits of `s` at `i` as a number, or NaN. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : Number.NaN;
}

/**
 * True when `text` is already canonical, `YYYY-MM-DDThh:mm:ss` with a real date and time: the
 * form nearly every payload sends, checked without a regex or any allocation.
 */
function isCanonicalDateTime(t: string): boolean {
  // Separators: - - T : : (NaN fails every comparison below).
  if (t.length !== 19 || t[4] !== '-' || t[7] !== '-' || t[10] !== 'T') return false;
  if (t[13] !== ':' || t[16] !== ':') return false;
  const year = twoDigits(t, 0) * 100 + twoDigits(t, 2);
  const month = twoDigits(t, 5);
  const day = twoDigits(t, 8);
  if (!(year >= 1 && month >= 1 && month <= 12 && day >= 1)) return false;
  if (!(day <= daysInMonth(year, month) && twoDigits(t, 11) <= 23)) return false;
  return twoDigits(t, 14) <= 59 && twoDigits(t, 17) <= 59;
}

function badDateTime(text: string): never {
  return invalid(`expected a date-time YYYY-MM-DDThh:mm:ss, got ${shown(text)}`);
}

/**
 * `YYYY-MM-DD[Thh:mm[:ss[.fff]]][Z|±hh:mm]` → `YYYY-MM-DDThh:mm:ss`. `T24:00:00` (XSD 1.0's end
 * of day) becomes the next day's `T00:00:00`, rolled over by the Date. Fractions are dropped.
 * For `*Utc` elements an offset is applied (the value becomes UTC); for local-time elements the
 * offset is dropped and the wall-clock time kept, as the TMC guide sample shows (SPEC §1 "Dates").
 */
function normalizeDateTime(text: string, isUtc: boolean): string {
  if (isCanonicalDateTime(text)) return text;
  const m = DATE_TIME.exec(text);
  if (!m) return badDateTime(text);
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', zone] = m;
  let year = Number(y);
  let month = Number(mo);
  let day = Number(d);
  let hour = Number(h);
  let minute = Number(mi);
  const second = Number(s);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    badDateTime(text);
  }
  const endOfDay = hour === 24 && minute === 0 && second === 0 && !/[1-9]/.test(fraction);
  if ((hour > 23 && !endOfDay) || minute > 59 || second > 59) badDateTime(text);
  const offset =
    zone && zone !== 'Z' ? Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)) : 0;
  // XSD allows offsets up to ±14:00.
  if (offset > 14 * 60 || Number(zone?.slice(4, 6) ?? 0) > 59) badDateTime(text);
  if ((isUtc && offset !== 0) || endOfDay) {
    const shift = isUtc ? (zone?.[0] === '-' ? -offset : offset) : 0;
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    date.setUTCHours(hour, minute - shift, second);
    year = date.getUTCFullYear();
    if (year < 1 || year > 9999) badDateTime(text);
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
function normalizeDecimal(text: string): string {
  if (text.length > MAX_DECIMAL_LENGTH) {
    invalid(`a decimal may have at most ${MAX_DECIMAL_LENGTH} characters`);
  }
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) {
    return invalid(`expected a decimal number, got ${shown(text)}`);
  }
  const intPart = (m[2] ?? '').replace(/^0+/, '') || '0';
  const fraction = (m[3] ?? '').padEnd(4, '0');
  const isZero = intPart === '0' && /^0*$/.test(fraction);
  return `${m[1] === '-' && !isZero ? '-' : ''}${intPart}.${fraction}`;
}

/** `[+-]digits` → digits without '+' or leading zeros, within ±(2^63−1). */
function normalizeInteger(text: string): string {
  const m = /^([+-]?)(\d+)$/.exec(text);
  if (!m) return invalid(`expected an integer, got ${shown(text)}`);
  const digits = (m[2] ?? '').replace(/^0+/, '') || '0';
  if (
    digits.length > MAX_INTEGER.length ||
    (digits.length === MAX_INTEGER.length && digits > MAX_INTEGER)
  ) {
    invalid('the integer is out of range');
  }
  return m[1] === '-' && digits !== '0' ? `-${digits}` : digits;
}

function normalizeUnsignedByte(text: string): string {
  const m = /^\+?(\d+)$/.exec(text);
  const value = m ? Number(m[1]) : Number.NaN;
  if (!(value >= 0 && value <= 255)) {
    invalid(`expected an integer from 0 to 255, got ${shown(text)}`);
  }
  return String(value);
}

function normalizeBoolean(text: string): string {
  const lower = text.toLowerCase();
  if (lower === 'true' || lower === '1') return 'true';
  if (lower === 'false' || lower === '0') return 'false';
  return invalid(`expected true or false, got ${shown(text)}`);
}
