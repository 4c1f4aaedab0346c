/**
 * The tables of the trip change feed (docs/CHANGE-FEED.md). Kept apart from database.ts, which
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
