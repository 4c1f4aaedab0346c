import { describe, expect, it } from 'vitest';
import { AppError } from '../../../errors.js';
import type { XmlNode } from '../../../xml/document.js';
import { assertWithinCeiling, READER_MAX_ELEMENTS, tripCeiling } from './trip-ceiling.js';

const ceiling = tripCeiling({ maxBookings: 3, maxSegments: 4, bodyLimitBytes: 1024 * 1024 });
const booking = (segments: number): XmlNode => ({
  RecordLocator: 'A',
  Segments: Array.from({ length: segments }, () => ({ element: 'Car', node: {} })),
});

function refusal(run: () => void): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('not refused');
}

describe('the ceiling on a trip', () => {
  it('leaves room in the body limit for the document around the rendering', () => {
    expect(ceiling.maxBytes).toBe(1024 * 1024 - 4096);
    expect(tripCeiling({ maxBookings: 1, maxSegments: 1, bodyLimitBytes: 4096 }).maxBytes).toBe(
      3584,
    );
    expect(ceiling.maxElements).toBeLessThan(READER_MAX_ELEMENTS);
  });

  it('accepts a trip at every bound', () => {
    expect(() =>
      assertWithinCeiling(ceiling, [booking(2), booking(2), booking(0)], '<a/>'),
    ).not.toThrow();
  });

  it('names the bound passed and the value', () => {
    const bookings = refusal(() =>
      assertWithinCeiling(ceiling, [booking(0), booking(0), booking(0), booking(0)], ''),
    );
    expect(bookings.httpStatus).toBe(422);
    expect(bookings.code).toBe('trip_too_large');
    expect(bookings.message).toMatch(
      /would hold 4 bookings; a trip holds at most 3 \(MAX_TRIP_BOOKINGS\)/,
    );
    const segments = refusal(() => assertWithinCeiling(ceiling, [booking(3), booking(2)], ''));
    expect(segments.message).toMatch(
      /would hold 5 segments; a trip holds at most 4 \(MAX_TRIP_SEGMENTS\)/,
    );
  });

  it('counts the bytes in UTF-8 and the elements of the rendering', () => {
    const small = tripCeiling({ maxBookings: 9, maxSegments: 9, bodyLimitBytes: 1024 });
    // 300 three-byte characters: 900 bytes, over 1024 − 128 = 896 though 300 characters long.
    expect(
      refusal(() => assertWithinCeiling(small, [], `<a>${'€'.repeat(300)}</a>`)).message,
    ).toMatch(/would hold 907 bytes of XML; a trip holds at most 896/);
    const elements = `<r>${'<a>x</a><!-- c --><b/>'.repeat(10_000)}</r>`;
    const big = tripCeiling({ maxBookings: 9, maxSegments: 9, bodyLimitBytes: 64 * 1024 * 1024 });
    expect(refusal(() => assertWithinCeiling(big, [], elements)).message).toMatch(
      /would hold 20001 XML elements/,
    );
    expect(() => assertWithinCeiling(big, [], `<r>${'<a>x</a>'.repeat(19_000)}</r>`)).not.toThrow();
  });
});
