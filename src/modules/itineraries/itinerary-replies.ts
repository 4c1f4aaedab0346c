/**
 * The caller of an itinerary route as its answers need it (who it is, what it may see, the base
 * URL of its links), and a trip answered as that caller may see it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { baseUrlOf } from '../../http/base-url.js';
import { sendXml } from '../../http/xml-reply.js';
import { isAdmin, type Principal, principalOf, READ_ADMIN_ROLES } from '../accounts/index.js';
import { type Audience, audienceOf, visibleTrip } from './access/trip-visibility.js';
import { presentItinerary } from './present/itinerary.presenter.js';
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
