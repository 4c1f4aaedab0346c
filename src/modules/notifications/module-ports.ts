/**
 * What the notifications module takes from other modules, in one place: who is calling and
 * which apps exist (accounts), the trip-change port and the read rules a listener applies
 * (itineraries). The module's other files import these from here, so that it reaches each of
 * the two modules through one door (test/architecture.test.ts counts the crossings).
 */
export {
  findAppById,
  isAdmin,
  type Principal,
  postbackUrlsOfApps,
  principalOf,
  WRITE_ADMIN_ROLES,
} from '../accounts/index.js';
export {
  type Audience,
  CANCELLED_SEGMENTS,
  hiddenByAgency,
  ownsBooking,
  sameBookingSource,
  supplierSegment,
  type TripChange,
  type TripChangeBatch,
  type TripChangeKind,
  type TripChangeLog,
  type TripView,
  tripUrl,
  visibleBooking,
  visibleTrip,
} from '../itineraries/index.js';
