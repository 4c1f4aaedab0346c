/**
 * What the web app takes from other modules, in one place: who is calling and registering its
 * own OAuth client (accounts), the itinerary services and read rules (itineraries). The
 * module's other files import these from here, so that it reaches each module through one
 * door (test/architecture.test.ts counts the crossings).
 */
export {
  ensureFirstPartyClient,
  isAdmin,
  type Principal,
  READ_ADMIN_ROLES,
} from '../accounts/index.js';
export {
  audienceOf,
  CANCELLED_SEGMENTS,
  findBookingsOfTrips,
  type ItineraryServices,
  type TripSummaryView,
  visibleBooking,
} from '../itineraries/index.js';
