import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { offsetFromIcu, zoneOffsetAt } from './zone-offsets.js';

// Zones with unusual rules: half-hour DST (Lord Howe), negative DST (Dublin), DST around
// Ramadan (Casablanca), southern-hemisphere DST, 45-minute offsets, none at all.
const ZONES = [
  'America/New_York',
  'Europe/Berlin',
  'Europe/Dublin',
  'Australia/Lord_Howe',
  'Africa/Casablanca',
  'America/Santiago',
  'Pacific/Chatham',
  'Asia/Kathmandu',
  'Asia/Tokyo',
  'Etc/GMT+12',
];
const formatters = new Map(
  ZONES.map((zone) => [
    zone,
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    }),
  ]),
);
const fmt = (zone: string) => formatters.get(zone) as Intl.DateTimeFormat;
const thisYear = new Date().getUTCFullYear();
const seconds = (from: number, to: number) =>
  fc.integer({ min: Date.UTC(from, 0, 1) / 1000, max: Date.UTC(to, 0, 1) / 1000 - 1 });

describe('zoneOffsetAt', () => {
  it('gives ICU’s offset at any second of the cached years, and of others', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.oneof(seconds(thisYear - 5, thisYear + 6), seconds(1900, 2200)),
        (zone, second) => {
          const t = second * 1000;
          expect(zoneOffsetAt(zone, fmt(zone), t)).toBe(offsetFromIcu(fmt(zone), t));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('changes exactly at the second of each transition', () => {
    // New York in the current year: second Sunday of March 02:00 EST, first Sunday of
    // November 02:00 EDT, found by scanning ICU hour by hour.
    const zone = 'America/New_York';
    const transitions: number[] = [];
    for (let t = Date.UTC(thisYear, 0, 1); t < Date.UTC(thisYear + 1, 0, 1); t += 3_600_000) {
      if (offsetFromIcu(fmt(zone), t) !== offsetFromIcu(fmt(zone), t + 3_600_000)) {
        transitions.push(t + 3_600_000);
      }
    }
    expect(transitions).toHaveLength(2);
    for (const at of transitions) {
      for (const t of [at - 1000, at, at + 1000]) {
        expect(zoneOffsetAt(zone, fmt(zone), t)).toBe(offsetFromIcu(fmt(zone), t));
      }
      expect(zoneOffsetAt(zone, fmt(zone), at - 1000)).not.toBe(zoneOffsetAt(zone, fmt(zone), at));
    }
  });
});
