/**
 * The caller of an itinerary route as its answers need it (who it is, what it may see, the base
 * URL of its links), and a trip answered as that caller may see it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { bookingIdentity } from '../../domain/trip-derivation.js';
import { baseUrlOf } from '../../http/base-url.js';
import { sendXml } from '../../http/xml-reply.js';
import { leaf } from '../../xml/document.js';
import { isAdmin, type Principal, principalOf, READ_ADMIN_ROLES } from '../accounts/index.js';
import { type Audience, audienceOf, visibleTrip } from './access/trip-visibility.js';
import { presentItinerary, presentPostedBooking } from './present/itinerary.presenter.js';
import type { TripView } from './rules/trip-view.js';

/** The caller of an itinerary route. */
export interface ItineraryCaller {
  principal: Principal;
  /** What of a trip the caller may see (a supplier: its own bookings). */
  audience: Audience;
  /** Read administrators see whose trip it is (the traveller's login id). */
  showLoginId: boolean;
  /** The service's base URL as the caller reached it, or the configured public one. */
  baseUrl: string;
}

/** The caller of a route that requires a token; `publicBaseUrl` overrides the request's. */
export function callerOf(request: FastifyRequest, publicBaseUrl?: string): ItineraryCaller {
  const principal = principalOf(request);
  return {
    principal,
    audience: audienceOf(principal),
    showLoginId: isAdmin(principal, READ_ADMIN_ROLES),
    baseUrl: publicBaseUrl ?? baseUrlOf(request),
  };
}

/** Answers a write (trip or booking) with the trip as the caller may see it. */
export function sendTrip(reply: FastifyReply, caller: ItineraryCaller, view: TripView) {
  const visible = visibleTrip(view, caller.audience);
  return sendXml(
    reply,
    presentItinerary(visible, { baseUrl: caller.baseUrl, showLoginId: caller.showLoginId }),
  );
}

/**
 * Answers a booking POST with the trip as the caller may see it, in the booking sample's shape
 * (`presentPostedBooking`): the posted booking, found by its BookingSource and RecordLocator,
 * under `<Itinerary>`. Should it not be visible (never expected: the poster sees its own
 * booking), the trip is answered without it.
 */
export function sendPostedBooking(
  reply: FastifyReply,
  caller: ItineraryCaller,
  view: TripView,
  posted: { source: string; recordLocator: string },
) {
  const visible = visibleTrip(view, caller.audience);
  const identity = bookingIdentity(posted.source, posted.recordLocator);
  const booking = visible.bookings.find(
    (b) =>
      bookingIdentity(leaf(b, 'BookingSource') ?? '', leaf(b, 'RecordLocator') ?? '') === identity,
  );
  return sendXml(
    reply,
    presentPostedBooking(visible, booking ?? {}, {
      baseUrl: caller.baseUrl,
      showLoginId: caller.showLoginId,
    }),
  );
}
