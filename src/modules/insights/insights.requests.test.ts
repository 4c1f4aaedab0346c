/** Reading the opportunities query: dates, windows and types (docs/INSIGHTS.md). */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { instantOf, opportunitiesRequest, typesOf } from './insights.requests.js';

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError && error.httpStatus === 400) return error.message;
    throw error;
  }
  throw new Error('expected a 400');
}

describe('instantOf', () => {
  it('reads dates and date-times as UTC unless they carry an offset', () => {
    expect(instantOf('fromUtc', '2027-03-01')).toBe(Date.UTC(2027, 2, 1));
    expect(instantOf('fromUtc', '2027-03-01T08:30')).toBe(Date.UTC(2027, 2, 1, 8, 30));
    expect(instantOf('fromUtc', '2027-03-01T08:30:15.250Z')).toBe(
      Date.UTC(2027, 2, 1, 8, 30, 15, 250),
    );
    expect(instantOf('fromUtc', '2027-03-01T09:00:00+01:00')).toBe(Date.UTC(2027, 2, 1, 8));
  });

  it('includes the whole day of a toUtc without a time', () => {
    expect(instantOf('toUtc', '2027-03-01')).toBe(Date.UTC(2027, 2, 2) - 1);
  });

  it('refuses what is not a calendar date-time, naming the parameter', () => {
    for (const text of ['2027-02-29', '2027-13-01', '27-03-01', '2027-03-01T24:00:00', 'now']) {
      expect(refusal(() => instantOf('toUtc', text))).toContain('toUtc');
    }
  });
});

describe('typesOf', () => {
  it('reads a comma-separated list in any case, in one canonical order, without repeats', () => {
    expect(typesOf('taxi, car,CAR ,Hotel')).toEqual(['Hotel', 'Car', 'Taxi']);
    expect(typesOf('')).toEqual([]);
    expect(typesOf(undefined)).toEqual([]);
  });

  it('refuses an unknown type by name', () => {
    expect(refusal(() => typesOf('Car,Limo'))).toContain("'Limo'");
  });
});

describe('opportunitiesRequest', () => {
  it('takes a trip, or a window of at most 366 days', () => {
    expect(opportunitiesRequest({ tripId: 't' })).toEqual({ kind: 'trip', tripId: 't', types: [] });
    expect(opportunitiesRequest({ fromUtc: '2028-01-01', toUtc: '2028-12-31' })).toMatchObject({
      kind: 'window',
    });
    expect(
      refusal(() => opportunitiesRequest({ fromUtc: '2027-01-01', toUtc: '2028-01-02' })),
    ).toContain('366 days');
  });

  it('refuses a trip with a window or a cursor, half a window, and a reversed one', () => {
    expect(refusal(() => opportunitiesRequest({ tripId: 't', offset: 'x' }))).toContain('either');
    expect(refusal(() => opportunitiesRequest({ toUtc: '2027-01-01' }))).toContain('both');
    expect(
      refusal(() => opportunitiesRequest({ fromUtc: '2027-01-02', toUtc: '2027-01-01T12:00:00Z' })),
    ).toContain('earlier');
  });
});
