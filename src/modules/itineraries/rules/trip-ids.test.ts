import { describe, expect, it } from 'vitest';
import { newBookingId, newTripId, newTripLinkLocator } from './trip-ids.js';

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

describe('newBookingId', () => {
  it('gives version 7 UUIDs that start with their creation time and sort by it', () => {
    const at = Date.UTC(2026, 10, 23, 12, 0, 0);
    const id = newBookingId(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(at);
    const later = [at + 1, at + 1000, at + 86_400_000].map((t) => newBookingId(t));
    expect([...later, id].sort()).toEqual([id, ...later]);
    expect(new Set(Array.from({ length: 1000 }, () => newBookingId(at))).size).toBe(1000);
  });
});
