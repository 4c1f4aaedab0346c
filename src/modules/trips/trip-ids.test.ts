import { describe, expect, it } from 'vitest';
import { newTripId, newTripLinkLocator } from './trip-ids.js';

describe('newTripId', () => {
  it('gives 128-bit base64url ids, all distinct across refills of the random pool', () => {
    const ids = Array.from({ length: 1000 }, () => newTripId());
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('newTripLinkLocator', () => {
  it('gives six characters from the unambiguous alphabet', () => {
    for (let i = 0; i < 100; i++) expect(newTripLinkLocator()).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
  });
});
