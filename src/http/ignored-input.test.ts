import { describe, expect, it } from 'vitest';
import { ignoredHeaderValue, MAX_IGNORED_HEADER_LENGTH } from './ignored-input.js';

describe('ignoredHeaderValue', () => {
  it('is undefined when nothing was ignored', () => {
    expect(ignoredHeaderValue([], [])).toBeUndefined();
  });

  it('keeps both sections within the cap, counting what it leaves out', () => {
    const names = Array.from({ length: 100 }, (_, i) => `parameter${i}`.padEnd(40, 'x'));
    const paths = Array.from({ length: 100 }, (_, i) => `Bookings/Booking/Element${i}`);
    const value = ignoredHeaderValue(names, paths, 7) as string;
    expect(value.length).toBeLessThanOrEqual(MAX_IGNORED_HEADER_LENGTH);
    const [query, elements] = value.split('; ') as [string, string];
    const queryListed = query.split(',').length - 1;
    expect(query).toMatch(new RegExp(`,\\.\\.\\.\\(${100 - queryListed} more\\)$`));
    // The room kept for the elements: what is not listed is counted (7 beyond the 100 kept).
    expect(elements.startsWith('elements=')).toBe(true);
    const elementsListed = elements.split(',').length - 1;
    expect(elements.endsWith(`...(${107 - elementsListed} more)`)).toBe(true);
  });

  it('counts elements beyond the kept paths', () => {
    expect(ignoredHeaderValue([], ['A/B'], 3)).toBe('elements=A/B,...(3 more)');
  });
});
