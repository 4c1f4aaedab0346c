import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { normalizeLeaf } from './leaf-values.js';
import type { LeafElement, LeafType } from './schema.js';

function leaf(name: string, type: LeafType, facets: Partial<LeafElement> = {}): LeafElement {
  return { kind: 'leaf', name, type, ...facets };
}

function rejects(def: LeafElement, raw: string, path = `X/${def.name}`): AppError {
  try {
    normalizeLeaf(def, raw, path);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe('invalid_value');
    expect(appError.httpStatus).toBe(400);
    expect(appError.message).toContain(path);
    return appError;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be rejected`);
}

describe('normalizeLeaf: string', () => {
  const comments = leaf('Comments', 'string', { maxLength: 512 });

  it('keeps strings verbatim, including surrounding whitespace and empty text', () => {
    expect(normalizeLeaf(comments, '  a b  ', 'p')).toBe('  a b  ');
    expect(normalizeLeaf(comments, '', 'p')).toBe('');
  });

  it('enforces maxLength in characters (code points), naming element and limit', () => {
    expect(normalizeLeaf(comments, 'x'.repeat(512), 'p')).toHaveLength(512);
    const error = rejects(comments, 'x'.repeat(513), 'Itinerary/Comments');
    expect(error.message).toContain('512');
    // 512 astral characters are 1024 UTF-16 units but still 512 characters.
    expect(normalizeLeaf(comments, '😀'.repeat(512), 'p')).toBe('😀'.repeat(512));
    rejects(comments, '😀'.repeat(513));
  });

  it('enforces an exact length, but lets an empty value through', () => {
    const currency = leaf('BaseFareCurrency', 'string', { length: 3 });
    expect(normalizeLeaf(currency, 'EUR', 'p')).toBe('EUR');
    expect(normalizeLeaf(currency, '', 'p')).toBe('');
    expect(rejects(currency, 'EURO').message).toContain('3');
    rejects(currency, 'EU');
  });

  it('does not enforce patterns or enumerations (payloads violate them, SPEC §10)', () => {
    const code = leaf('SemanticsCode', 'string', { maxLength: 15, pattern: '^[A-Za-z0-9]+$' });
    expect(normalizeLeaf(code, 'SEGFEE_AS_FEE', 'p')).toBe('SEGFEE_AS_FEE');
    const dataType = leaf('DataType', 'string', { enumeration: ['String', 'Numeric'] });
    expect(normalizeLeaf(dataType, 'Text', 'p')).toBe('Text');
  });
});

describe('normalizeLeaf: dateTime', () => {
  const local = leaf('StartDateLocal', 'dateTime');
  const utc = leaf('DateModifiedUtc', 'dateTime');
  const upperUtc = leaf('IssueDateTimeUTC', 'dateTime');

  it.each([
    ['2013-12-21T07:25:00', '2013-12-21T07:25:00'],
    ['  2013-12-21T07:25:00\n', '2013-12-21T07:25:00'],
    ['2013-12-21T07:25', '2013-12-21T07:25:00'],
    ['2013-12-21T07:25:09.1234567', '2013-12-21T07:25:09'],
    ['2013-12-21', '2013-12-21T00:00:00'],
    ['2020-01-06T00:00:00-04:00', '2020-01-06T00:00:00'],
    ['2020-01-06T23:30:00Z', '2020-01-06T23:30:00'],
    ['2024-02-29T12:00:00', '2024-02-29T12:00:00'],
  ])('local %s → %s (offset dropped, wall clock kept)', (raw, expected) => {
    expect(normalizeLeaf(local, raw, 'p')).toBe(expected);
  });

  it.each([
    ['2020-01-06T00:00:00-04:00', '2020-01-06T04:00:00'],
    ['2020-01-06T22:30:00-04:00', '2020-01-07T02:30:00'],
    ['2021-03-01T01:00:00+05:30', '2021-02-28T19:30:00'],
    ['2020-12-31T23:59:59Z', '2020-12-31T23:59:59'],
    ['2020-12-31T23:59:59', '2020-12-31T23:59:59'],
  ])('UTC %s → %s (offset applied)', (raw, expected) => {
    expect(normalizeLeaf(utc, raw, 'p')).toBe(expected);
    expect(normalizeLeaf(upperUtc, raw, 'p')).toBe(expected);
  });

  it.each([
    ['2021-01-01T24:00:00', '2021-01-02T00:00:00'],
    ['2021-01-31T24:00', '2021-02-01T00:00:00'],
    ['2024-02-28T24:00:00', '2024-02-29T00:00:00'],
    ['2023-02-28T24:00:00.000', '2023-03-01T00:00:00'],
    ['2021-12-31T24:00:00', '2022-01-01T00:00:00'],
  ])('reads %s (XSD end of day) as the next midnight %s', (raw, expected) => {
    expect(normalizeLeaf(local, raw, 'p')).toBe(expected);
    expect(normalizeLeaf(utc, raw, 'p')).toBe(expected);
  });

  it('applies an offset to T24:00:00 after rolling to the next day', () => {
    expect(normalizeLeaf(utc, '2021-12-31T24:00:00-05:00', 'p')).toBe('2022-01-01T05:00:00');
    expect(normalizeLeaf(local, '2021-12-31T24:00:00-05:00', 'p')).toBe('2022-01-01T00:00:00');
  });

  it('treats empty text as absent', () => {
    expect(normalizeLeaf(local, '', 'p')).toBeUndefined();
    expect(normalizeLeaf(local, '  \n ', 'p')).toBeUndefined();
  });

  it.each([
    '2021-02-30T00:00:00',
    '2023-02-29',
    '2021-13-01',
    '2021-00-10',
    '0000-01-01',
    '2021-01-01T25:00:00',
    '2021-01-01T24:00:01',
    '2021-01-01T24:01:00',
    '2021-01-01T24:00:00.5',
    '9999-12-31T24:00:00',
    '2021-01-01T10:60:00',
    '2021-01-01T10:00:60',
    '2021-01-01T10:00:00+15:00',
    '2021-01-01T10:00:00+14:01',
    '2021-01-01T10:00:00-01:60',
    'tomorrow',
    '2021-1-1',
    '2021/01/01',
    '2021-01-01 10:00:00',
    '2021-01-01T10',
  ])('rejects %s', (raw) => {
    rejects(utc, raw, 'Itinerary/DateModifiedUtc');
    rejects(local, raw, 'Itinerary/StartDateLocal');
  });

  it('keeps results within years 1–9999 when applying an offset', () => {
    expect(normalizeLeaf(utc, '0001-01-01T00:00:00-01:00', 'p')).toBe('0001-01-01T01:00:00');
    rejects(utc, '0001-01-01T00:00:00+01:00');
    rejects(utc, '9999-12-31T23:00:00-14:00');
  });
});

describe('normalizeLeaf: decimal', () => {
  const amount = leaf('Amount', 'decimal');

  it.each([
    ['333.75', '333.7500'],
    ['-0.5', '-0.5000'],
    ['47.606209', '47.606209'],
    ['-0', '0.0000'],
    ['-0.000', '0.0000'],
    ['+12', '12.0000'],
    ['007.10', '7.1000'],
    ['.5', '0.5000'],
    ['5.', '5.0000'],
    [' 400 ', '400.0000'],
    ['123456789012345678901234567890', '123456789012345678901234567890.0000'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeLeaf(amount, raw, 'p')).toBe(expected);
  });

  it.each(['1e5', '12,50', 'abc', 'NaN', 'Infinity', '.', '-', '1.2.3', '1 000', '0x10', '--1'])(
    'rejects %s',
    (raw) => {
      rejects(amount, raw, 'Itinerary/Bookings/Booking[1]/Charges/Fixed[1]/Amount');
    },
  );

  it('rejects absurdly long numbers', () => {
    rejects(amount, '1'.repeat(41));
  });

  it('treats empty text as absent', () => {
    expect(normalizeLeaf(amount, '', 'p')).toBeUndefined();
  });
});

describe('normalizeLeaf: integer, unsignedByte, boolean', () => {
  const integer = leaf('Miles', 'integer');
  const byte = leaf('NumPersons', 'unsignedByte');
  const bool = leaf('IsPrimary', 'boolean');

  it('normalises integers and enforces ±(2^63−1)', () => {
    expect(normalizeLeaf(integer, '+0042', 'p')).toBe('42');
    expect(normalizeLeaf(integer, '-0', 'p')).toBe('0');
    expect(normalizeLeaf(integer, '-17', 'p')).toBe('-17');
    expect(normalizeLeaf(integer, '9223372036854775807', 'p')).toBe('9223372036854775807');
    expect(normalizeLeaf(integer, '-9223372036854775807', 'p')).toBe('-9223372036854775807');
    rejects(integer, '9223372036854775808');
    rejects(integer, '-99999999999999999999');
    for (const raw of ['1.0', '1e3', 'ten', '0x1F', '1 2']) rejects(integer, raw);
    expect(normalizeLeaf(integer, '', 'p')).toBeUndefined();
  });

  it('accepts 0–255 for unsignedByte', () => {
    expect(normalizeLeaf(byte, '0', 'p')).toBe('0');
    expect(normalizeLeaf(byte, '007', 'p')).toBe('7');
    expect(normalizeLeaf(byte, '255', 'p')).toBe('255');
    for (const raw of ['256', '-1', '1.5', 'one']) rejects(byte, raw);
  });

  it('accepts true/false/1/0 in any case', () => {
    for (const raw of ['true', 'TRUE', 'True', '1', ' true ']) {
      expect(normalizeLeaf(bool, raw, 'p')).toBe('true');
    }
    for (const raw of ['false', 'False', '0']) expect(normalizeLeaf(bool, raw, 'p')).toBe('false');
    for (const raw of ['yes', 'no', 't', '2']) rejects(bool, raw);
    expect(normalizeLeaf(bool, '', 'p')).toBeUndefined();
  });
});

describe('normalizeLeaf: documented quirks (SPEC §10 items 10, 11)', () => {
  const tripStatus = leaf('TripStatus', 'unsignedByte');
  const timeZoneId = leaf('TimeZoneId', 'integer');

  it('accepts a two-letter GDS status as TripStatus, else an unsignedByte', () => {
    expect(normalizeLeaf(tripStatus, 'HK', 'p')).toBe('HK');
    expect(normalizeLeaf(tripStatus, 'gk', 'p')).toBe('gk');
    expect(normalizeLeaf(tripStatus, '07', 'p')).toBe('7');
    for (const raw of ['HKK', 'H1', '256']) rejects(tripStatus, raw, 'Itinerary/TripStatus');
  });

  it('accepts a time-zone name as TimeZoneId, integers normalised', () => {
    expect(normalizeLeaf(timeZoneId, 'Pacific', 'p')).toBe('Pacific');
    expect(normalizeLeaf(timeZoneId, 'America/Los_Angeles', 'p')).toBe('America/Los_Angeles');
    expect(normalizeLeaf(timeZoneId, '+05', 'p')).toBe('5');
    rejects(timeZoneId, 'x'.repeat(65));
  });
});

describe('documented type quirks (SPEC §10 items 25, 26)', () => {
  it('accepts IsPersonal Business/Leisure and IsPreferredVendor true/false, still rejecting junk', async () => {
    const { SCHEMA } = await import('./schema.generated.js');
    const find = (type: string, name: string) => {
      const def = SCHEMA[type]?.elements.find((e) => e.name === name);
      if (def?.kind !== 'leaf') throw new Error(`${type}/${name} not a leaf`);
      return def;
    };
    const isPersonal = find('ItineraryType', 'IsPersonal');
    expect(normalizeLeaf(isPersonal, 'Leisure', 'p')).toBe('Leisure');
    expect(normalizeLeaf(isPersonal, '1', 'p')).toBe('true');
    expect(() => normalizeLeaf(isPersonal, 'maybe', 'p')).toThrow(/p/);
    const preferred = find('AirType', 'IsPreferredVendor');
    expect(normalizeLeaf(preferred, 'True', 'p')).toBe('true');
    expect(normalizeLeaf(preferred, '01', 'p')).toBe('1');
    expect(() => normalizeLeaf(preferred, 'yes', 'p')).toThrow(/p/);
  });
});
