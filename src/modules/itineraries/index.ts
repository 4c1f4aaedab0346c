/**
 * The itineraries module as other modules see it: the port through which writes report trip
 * changes (implemented by the notification outbox), the trip view, and the read rules a
 * listener applies to what it passes on (visibility, the agency rule, cancelled segments, the
 * trip's URL). Other feature modules import itineraries only through this file
 * (test/architecture.test.ts checks it).
 */
export { agencyOf, hiddenByAgency } from './access/agency-rule.js';
export {
  type Audience,
  audienceOf,
  ownsBooking,
  sameBookingSource,
  supplierSegment,
  visibleBooking,
  visibleTrip,
} from './access/trip-visibility.js';
export type { ItineraryServices } from './itinerary-services.js';
export { tripUrl } from './present/itinerary.presenter.js';
export { type EtagTrip, type EtagViewer, tripEtag } from './present/trip-etag.js';
export { CANCELLED_SEGMENTS } from './rules/cancellation.js';
export type { BookingRecord, TripOwner } from './rules/records.js';
export type { TripView } from './rules/trip-view.js';
export { findBookingsOfTrips } from './store/booking.repository.js';
export { compactTripDayCounts } from './store/totals/trip-day-count.repository.js';
export { earliestStartEndingAfter, ofNoAgencyOr } from './store/trip.repository.js';
export type {
  TripChange,
  TripChangeBatch,
  TripChangeKind,
  TripChangeLog,
  TripDataHolder,
} from './trip-changes.js';
export type { TripListQuery, TripSummaryView } from './trip-list.service.js';
