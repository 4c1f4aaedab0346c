/**
 * The tables of the trip change feed (docs/CHANGE-FEED.md) and of the trips counted by day. Kept apart from database.ts, which
 * lists them in `Database`.
 */
import type { Generated } from 'kysely';

/** One trip change of the feed (docs/CHANGE-FEED.md); `seq` is null until its commit. */
export interface TripChangesTable {
  id: Generated<number>;
  seq: number | null;
  trip_id: string;
  company_id: string;
  agency_id: string | null;
  type: string;
  at: number;
}

/** The feed's marks: `last` (the last seq handed out), `purged` (the last row purged). */
export interface TripChangeMarksTable {
  name: string;
  seq: number;
  id: number;
}

/**
 * Trips counted by the day they start (`edge` 0) or end (`edge` 1), per company, agency (`''`:
 * none), status and guest flag (migration 2026-12-05T1200-trip-day-counts). Kept by triggers; on
 * PostgreSQL one key may have several rows (changes not yet folded), so readers sum `trips`.
 */
export interface TripDayCountsTable {
  company_id: string;
  edge: number;
  day: number;
  agency_id: string;
  status: number;
  guest: number;
  trips: number;
}
