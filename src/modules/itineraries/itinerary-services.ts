/**
 * The itinerary services, wired once per app: they share one unit of work (the traveller's
 * lock and the change log) and one trip write-back (with the stored rendering).
 */
import type { DatabaseHandle } from '../../db/connect.js';
import { BookingService } from './booking.service.js';
import { BookingCancelService } from './booking-cancel.service.js';
import { UpdateCouponService } from './coupons/update-coupon.service.js';
import { TripEraseService } from './erase/trip-erase.service.js';
import type { TripCeiling } from './rules/trip-ceiling.js';
import type { TripRenderer } from './rules/trip-view.js';
import { TripTotals } from './store/totals/trip-totals.js';
import { tripListVersion } from './store/trip-list-version.repository.js';
import { TripReadCache } from './store/trip-read-cache.js';
import { TravellerWrites } from './traveller-writes.js';
import { TripService } from './trip.service.js';
import type { TripChangeLog, TripDataHolder } from './trip-changes.js';
import { TripListService } from './trip-list.service.js';
import { TripWriteBack } from './trip-write-back.js';

export interface ItineraryServices {
  /** Trips kept for their details (v1.1 through `trips`, and v4). */
  reads: TripReadCache;
  trips: TripService;
  lists: TripListService;
  bookings: BookingService;
  cancels: BookingCancelService;
  coupons: UpdateCouponService;
  erase: TripEraseService;
}

export interface ItineraryWiring {
  database: DatabaseHandle;
  /** Where trip changes are reported (the notification outbox); none: nothing is reported. */
  changes?: TripChangeLog;
  /** The rendering stored beside each trip (the Itinerary presenter's stored form). */
  renderStored: TripRenderer;
  /** The bounds a write that grows a trip must keep; none: no bounds (rules/trip-ceiling.ts). */
  ceiling?: TripCeiling;
  /** Stores besides the change log that keep data of trips (forgotten on delete, anonymize). */
  holders?: readonly TripDataHolder[];
  /** Memory for whole list pages kept until their data changes (absent: none). */
  listCacheBytes?: number;
  /** Memory for trips kept for their details until their data changes (absent: none). */
  tripCacheBytes?: number;
  /** A failed fold of PostgreSQL's day counts (store/totals/trip-totals.ts) is told here. */
  onTotalsFoldError?: (error: unknown) => void;
}

/** Creates the itinerary services. */
export function createItineraryServices(wiring: ItineraryWiring): ItineraryServices {
  const { db } = wiring.database;
  const writes = new TravellerWrites(wiring.database, wiring.changes);
  const writeBack = new TripWriteBack(wiring.renderStored, wiring.ceiling);
  // One version for every kept read: of the trips and users they were read from.
  const dataVersion = () => tripListVersion(db, wiring.database.dialect);
  const reads = new TripReadCache(db, dataVersion, wiring.tripCacheBytes ?? 0);
  const totals = new TripTotals({
    dialect: wiring.database.dialect,
    ...(wiring.onTotalsFoldError ? { onFoldError: wiring.onTotalsFoldError } : {}),
  });
  return {
    reads,
    trips: new TripService(db, writes, writeBack, reads),
    lists: new TripListService(db, dataVersion, totals.count, wiring.listCacheBytes ?? 0),
    bookings: new BookingService(db, writes, writeBack),
    cancels: new BookingCancelService(db, writes, writeBack),
    coupons: new UpdateCouponService(db, writes, writeBack),
    erase: new TripEraseService(db, writes, writeBack, [
      ...(wiring.changes ? [wiring.changes] : []),
      ...(wiring.holders ?? []),
    ]),
  };
}
