/**
 * What the itinerary writes report about each change, and to what: a change log that the
 * wiring (app.ts) provides — the notification outbox — written inside the change's own
 * transaction, so that a change that commits has its reports and one that rolls back has none.
 * The itineraries module defines this port and knows nothing of who listens.
 */
import type { Transaction } from 'kysely';
import type { Database, Executor } from '../../db/database.js';
import type { XmlNode } from '../../xml/document.js';
import type { BookingRecord, TripOwner, TripRecord } from './rules/records.js';
import type { TripView } from './rules/trip-view.js';

/**
 * How a trip changed: created, updated, or cancelled (or removed by a merge); deleted or
 * anonymized by an administrator (docs/COMPATIBILITY.md, "Deleting and anonymizing trips").
 */
export type TripChangeKind = 'CREATE' | 'UPDATE' | 'CANCEL' | 'DELETE' | 'ANONYMIZE';

/** One trip change, as a writer reports it. */
export interface TripChange {
  eventType: TripChangeKind;
  tripId: string;
  /** The trip's agency (TMC apps of other agencies hear nothing). */
  agencyId: string | null;
  owner: TripOwner;
  /** The trip before the change (absent for a new trip); see `snapshotTrip`. */
  before?: TripView;
  /** The trip after the change (absent for a deleted trip). */
  after?: TripView;
  /** For a deleted trip: the trip its bookings joined. */
  mergedInto?: string;
  /** When the change was written (epoch ms). */
  now: number;
}

/** The reports of one write. */
export interface TripChangeBatch {
  record(trx: Transaction<Database>, change: TripChange): Promise<void>;
}

/**
 * A store outside the itineraries module that keeps data of trips (the outboxes, the answers
 * kept for retries): a deletion or an anonymization has it forget them, in its transaction.
 */
export interface TripDataHolder {
  /**
   * Removes what it holds of these trips' personal data (before the erasing write records its
   * own change): reports still waiting are dropped, those already sent keep no login id.
   */
  forget(trx: Transaction<Database>, tripIds: readonly string[]): Promise<void>;
}

/** Where writes report their changes. */
export interface TripChangeLog extends TripDataHolder {
  /**
   * The batch of one write for a company's trips, or undefined when nobody listens to that
   * company: the writer then skips everything a report would need (snapshots). Only reads
   * (who listens): writers look it up beside their transaction, not under their lock.
   */
  open(db: Executor, companyId: string, baseUrl: string): Promise<TripChangeBatch | undefined>;
  /** Called by every writer after its transaction committed. */
  written(): void;
}

/**
 * The trip as stored before a change, deep-copied, for a report's `before`: the writers go on
 * to change the documents they loaded, so the copy must be taken first.
 */
export function snapshotTrip(
  trip: TripRecord,
  bookings: readonly BookingRecord[],
  owner: TripOwner,
): TripView {
  return {
    id: trip.id,
    status: trip.status,
    document: structuredClone(trip.document),
    bookings: [...bookings]
      .sort((a, b) => a.position - b.position)
      .map((b): XmlNode => structuredClone(b.document)),
    owner,
  };
}
