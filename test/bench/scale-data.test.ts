/**
 * The scale benchmark's data (scripts/bench/scale): the sizes BENCH_SCALE accepts, and the
 * seeded import file: exactly the asked number of trips, the same bytes for the same seed, dates
 * around the anchor, heavy travellers with enough trips for full list pages, and the cache.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSizes } from '../../scripts/bench/scale/scale-bench.js';
import {
  ensureScaleData,
  HEAVY_TRAVELLERS,
  heavyTripCount,
} from '../../scripts/bench/scale/scale-data.js';

const dirs: string[] = [];
const DAY = 86_400_000;
const ANCHOR = Date.UTC(2026, 11, 1);

/** Generates into a new cache directory (BENCH_DATA_DIR) and returns the file's lines. */
function generate(size: number, seed: number): { file: string; lines: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-scale-data-'));
  dirs.push(dir);
  process.env.BENCH_DATA_DIR = dir;
  const { file } = ensureScaleData(size, seed, ANCHOR);
  return { file, lines: fs.readFileSync(file, 'utf8').trim().split('\n') };
}

afterAll(() => {
  delete process.env.BENCH_DATA_DIR;
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('BENCH_SCALE sizes', () => {
  it('reads 1 as the three default sizes, and k/M suffixes', () => {
    expect(parseSizes('1')).toEqual([10_000, 100_000, 1_000_000]);
    expect(parseSizes('2000, 10k,1M')).toEqual([2000, 10_000, 1_000_000]);
  });

  it('refuses sizes below 1,000 and words', () => {
    expect(() => parseSizes('500')).toThrow(/at least 1000/);
    expect(() => parseSizes('10k,lots')).toThrow(/'lots'/);
  });
});

describe('scale data', () => {
  it('holds exactly the asked trips, plus bookings for earlier trips of the same traveller', () => {
    const { lines } = generate(2000, 15);
    const docs = lines.map((line) => JSON.parse(line) as { user: string; xml: string });
    const trips = docs.filter((d) => d.xml.startsWith('<Itinerary'));
    const bookings = docs.filter((d) => d.xml.startsWith('<Booking'));
    expect(trips).toHaveLength(2000);
    expect(bookings.length).toBeGreaterThan(100);
    expect(trips.length + bookings.length).toBe(docs.length);
    // Every trip's dates lie within a year (and the longest stay) of the anchor.
    for (const trip of trips) {
      const start = Date.parse(`${/<StartDateLocal>([^<]+)</.exec(trip.xml)?.[1]}Z`);
      expect(Math.abs(start - ANCHOR)).toBeLessThanOrEqual(366 * DAY);
    }
    // The heavy travellers hold about a tenth of the trips each (seeded, so roughly).
    const heavy = trips.filter((d) => d.user === HEAVY_TRAVELLERS[0]!.loginId).length;
    expect(heavy).toBeGreaterThan(heavyTripCount(2000) * 0.8);
    expect(heavy).toBeLessThan(heavyTripCount(2000) * 1.2);
  });

  it('writes the same bytes for the same seed, other bytes for another', () => {
    const first = generate(1000, 15);
    const again = generate(1000, 15);
    const other = generate(1000, 16);
    expect(again.lines).toEqual(first.lines);
    expect(other.lines).not.toEqual(first.lines);
  });

  it('reuses a cached file instead of generating again', () => {
    const { file } = generate(1000, 15);
    const cached = ensureScaleData(1000, 15, ANCHOR);
    expect(cached.file).toBe(file);
    expect(cached.generatedSeconds).toBeNull();
  });
});
