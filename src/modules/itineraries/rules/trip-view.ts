/**
 * A trip as the services hand it to the presenters: the trip-level document, its bookings,
 * and who owns it. Knows nothing of XML syntax.
 */
import type { XmlNode } from '../../../xml/document.js';
import type { BookingRecord, TripOwner, TripRecord } from './records.js';

export interface TripView {
  id: string;
  status: number;
  document: XmlNode;
  bookings: XmlNode[];
  owner: TripOwner;
  /** The stored rendering of this version, when the writer produced one. */
  rendering?: string;
  /** The trip's stored version (its ETag's source); absent for views not read from storage. */
  version?: number;
}

/**
 * Renders a trip for storage beside it. Given to the services by the wiring (app.ts), so that
 * they store the wire form without knowing it; reads then send the stored rendering instead of
 * rebuilding it.
 */
export type TripRenderer = (view: TripView) => string;

/** Assembles the view of a stored trip. */
export function tripViewOf(
  trip: TripRecord,
  bookings: readonly BookingRecord[],
  owner: TripOwner,
): TripView {
  return {
    id: trip.id,
    status: trip.status,
    document: trip.document,
    bookings: bookings.map((b) => b.document),
    owner,
    version: trip.version,
  };
}
