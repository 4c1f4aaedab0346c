/**
 * Storing a trip rebuilt from its bookings (booking-merge.ts `rebuildTrip`), for the booking
 * post and cancel services, inside their write transaction.
 */
import type { Transaction } from 'kysely';
import type { Database, TripRow, UserRow } from '../../db/database.js';
import type { PreparedBooking } from '../../domain/trip-derivation.js';
import { preparedFromRow, rebuildTrip } from './rules/booking-merge.js';
import type { TripRenderer, TripView } from './rules/trip-view.js';
import { findBookingsOfTrip, updateTrip } from './store/trip.repository.js';

/** Rebuilds a trip from the given bookings and stores it; returns what was stored. */
export async function storeRebuiltTrip(
  trx: Transaction<Database>,
  trip: TripRow,
  bookings: PreparedBooking[],
  owner: UserRow,
  render: TripRenderer,
  now: number,
): Promise<TripView> {
  const rebuilt = rebuildTrip(trip, bookings, owner, render, now);
  await updateTrip(trx, trip.id, rebuilt.row);
  return rebuilt.view;
}

/** Rebuilds a trip from its stored bookings and stores it. */
export async function rebuildStoredTrip(
  trx: Transaction<Database>,
  trip: TripRow,
  owner: UserRow,
  render: TripRenderer,
  now: number,
): Promise<TripView> {
  const rows = await findBookingsOfTrip(trx, trip.id);
  return storeRebuiltTrip(
    trx,
    trip,
    rows.map((r) => preparedFromRow(r)),
    owner,
    render,
    now,
  );
}
