/**
 * A trip as the services hand it to the presenters: the trip-level document, its bookings,
 * and who owns it. Knows nothing of XML syntax.
 */
import type { BookingRow, TripRow, UserRow } from '../../../db/database.js';
import { readJson } from '../../../db/database.js';
import type { TripSummary } from '../../../domain/trip-derivation.js';
import type { XmlNode } from '../../../xml/document.js';

export interface TripView {
  id: string;
  status: number;
  document: XmlNode;
  bookings: XmlNode[];
  owner: Pick<UserRow, 'id' | 'login_id' | 'company_id'>;
  /** The stored rendering of this version, when the writer produced one. */
  rendering?: string;
}

/**
 * Renders a trip for storage beside it. Given by the routes, so that the services store the
 * wire form without knowing it; reads then send the stored rendering instead of rebuilding it.
 */
export type TripRenderer = (view: TripView) => string;

/** Assembles the view of a stored trip. */
export function tripViewOf(
  trip: TripRow,
  bookings: readonly BookingRow[],
  owner: TripView['owner'],
): TripView {
  return {
    id: trip.id,
    status: trip.status,
    document: readJson<XmlNode>(trip.document),
    bookings: bookings.map((b) => readJson<XmlNode>(b.document)),
    owner,
  };
}

/** Encodes a list of names as `,A,B,` so that `LIKE '%,A,%'` finds one. */
export function typesColumn(types: readonly string[]): string {
  return types.length === 0 ? '' : `,${types.join(',')},`;
}

/** Parses the trips.summary column. */
export function readSummary(value: string): TripSummary {
  return JSON.parse(value) as TripSummary;
}
