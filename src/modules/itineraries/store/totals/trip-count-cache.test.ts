import { describe, expect, it } from 'vitest';
import type { Executor } from '../../../../db/database.js';
import type { TripListFilter } from '../trip-list.repository.js';
import { TripCountCache } from './trip-count-cache.js';

const db = {} as Executor;
const companyWide: TripListFilter = { companyIds: ['c1'], excludedStatuses: [1], from: 5, to: 9 };

/** A cache over a stub count: `totals` answers, `version` is the data version. */
function harness(total: number) {
  const state = { version: 'v1' as string | undefined, total, counted: 0, versionReads: 0 };
  const version = async () => {
    state.versionReads += 1;
    return state.version;
  };
  const counts = new TripCountCache(async () => {
    state.counted += 1;
    return state.total;
  });
  const cache = {
    count: (db: Executor, filter: TripListFilter) => counts.count(db, filter, version),
  };
  return { state, cache };
}

describe('TripCountCache', () => {
  it('reuses a large count while the data version is unchanged', async () => {
    const { state, cache } = harness(5000);
    expect(await cache.count(db, companyWide)).toBe(5000);
    // The first count is taken without a version read, so it is not reused…
    expect(state.versionReads).toBe(0);
    expect(await cache.count(db, companyWide)).toBe(5000);
    expect(state.counted).toBe(2);
    // …the second one is.
    expect(await cache.count(db, companyWide)).toBe(5000);
    expect(await cache.count(db, companyWide)).toBe(5000);
    expect(state.counted).toBe(2);
  });

  it('counts again once the data version changes', async () => {
    const { state, cache } = harness(5000);
    await cache.count(db, companyWide);
    await cache.count(db, companyWide);
    state.version = 'v2';
    state.total = 5001;
    expect(await cache.count(db, companyWide)).toBe(5001);
    expect(state.counted).toBe(3);
  });

  it('keeps nothing when the version is unknown', async () => {
    const { state, cache } = harness(5000);
    state.version = undefined;
    for (let i = 0; i < 3; i++) await cache.count(db, companyWide);
    expect(state.counted).toBe(3);
  });

  it('keeps counts per filter', async () => {
    const { state, cache } = harness(5000);
    const other = { ...companyWide, ownerId: 'u1' };
    await cache.count(db, companyWide);
    await cache.count(db, companyWide);
    state.total = 7000;
    expect(await cache.count(db, other)).toBe(7000);
    expect(await cache.count(db, companyWide)).toBe(5000);
  });

  it('does not keep small counts', async () => {
    const { state, cache } = harness(12);
    for (let i = 0; i < 3; i++) expect(await cache.count(db, companyWide)).toBe(12);
    expect(state.counted).toBe(3);
    expect(state.versionReads).toBe(0);
  });
});
