import { describe, expect, it } from 'vitest';
import { parseQueryDate, wallClockToMs } from './dates.js';

describe('wallClockToMs', () => {
  it('reads T24:00:00 as the next day’s midnight', () => {
    expect(wallClockToMs('2021-12-31T24:00:00')).toBe(Date.UTC(2022, 0, 1));
    expect(wallClockToMs('2021-02-28T24:00:00')).toBe(Date.UTC(2021, 2, 1));
  });

  it('reads ordinary times field by field', () => {
    expect(wallClockToMs('2021-06-15T13:45:30')).toBe(Date.UTC(2021, 5, 15, 13, 45, 30));
  });
});

describe('parseQueryDate', () => {
  it.each([
    ['2021-12-31T24:00', Date.UTC(2022, 0, 1)],
    ['2021-12-31T24:00:00', Date.UTC(2022, 0, 1)],
    ['2021/02/28 24:00', Date.UTC(2021, 2, 1)],
  ])('reads %s as the next day’s midnight', (value, ms) => {
    expect(parseQueryDate(value)).toEqual({ ms, hasTime: true });
  });

  it('keeps dates without a time at midnight', () => {
    expect(parseQueryDate('2021-06-15')).toEqual({ ms: Date.UTC(2021, 5, 15), hasTime: false });
    expect(parseQueryDate('2021-06-15T08:30:15')).toEqual({
      ms: Date.UTC(2021, 5, 15, 8, 30, 15),
      hasTime: true,
    });
  });

  it.each([
    '2021-12-31T24:01',
    '2021-12-31T24:00:01',
    '2021-12-31T25:00',
    '2021-06-15T10:60',
    '2021-06-15T10:00:60',
    '2021-02-30',
    '2021-13-01',
  ])('refuses %s', (value) => {
    expect(parseQueryDate(value)).toBeUndefined();
  });
});
