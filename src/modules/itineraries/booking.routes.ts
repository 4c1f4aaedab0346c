/**
 * The Booking v1.1 endpoints (SPEC §2.6, §2.7), also served under v1.0, which Concur's
 * request lines use. A posted booking is answered with the trip that holds it, as the trip
 * details endpoint would show it to the caller.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errors } from '../../errors.js';
import { baseUrlOf } from '../../http/base-url.js';
import { lowerCaseParameters } from '../../http/query-parameters.js';
import { xmlBodyOf } from '../../http/xml-body.js';
import { sendXml } from '../../http/xml-reply.js';
import { isAdmin, principalOf, READ_ADMIN_ROLES, type UserSelector } from '../accounts/index.js';
import { audienceOf, visibleTrip } from './access/trip-visibility.js';
import type { ItineraryServices } from './itinerary-services.js';
import { presentCancelledBooking } from './present/booking.presenter.js';
import { presentItinerary } from './present/itinerary.presenter.js';
import type { TripView } from './rules/trip-view.js';

interface BookingRoutesOptions {
  services: Pick<ItineraryServices, 'bookings' | 'cancels'>;
  publicBaseUrl?: string;
}

export const BOOKING_PATHS = ['/api/travel/booking/v1.1', '/api/travel/booking/v1.0'];
/** The itinerary endpoints' scope and request limits, as the trip routes have them. */
const ITINERARY = { scope: 'ITINER', rateLimited: true } as const;

function selectorOf(params: Record<string, string>): UserSelector {
  return { useridType: params.userid_type, useridValue: params.userid_value };
}

function required(params: Record<string, string>, name: string): string {
  const value = params[name.toLowerCase()]?.trim();
  if (!value) throw errors.badRequest(`${name} is required to cancel a booking.`);
  return value;
}

/** Registers the booking routes. */
export async function bookingRoutes(app: FastifyInstance, options: BookingRoutesOptions) {
  const { bookings, cancels } = options.services;
  const baseUrl = (request: FastifyRequest) => options.publicBaseUrl ?? baseUrlOf(request);

  function sendTrip(request: FastifyRequest, reply: FastifyReply, view: TripView) {
    const principal = principalOf(request);
    const showLoginId = isAdmin(principal, READ_ADMIN_ROLES);
    const visible = visibleTrip(view, audienceOf(principal));
    return sendXml(reply, presentItinerary(visible, { baseUrl: baseUrl(request), showLoginId }));
  }

  for (const path of BOOKING_PATHS) {
    app.post(path, { config: { ...ITINERARY, xmlRoot: 'Booking' } }, async (request, reply) => {
      const { lower } = lowerCaseParameters(request.query);
      const tripId = lower.tripid?.trim();
      if (tripId === '') throw errors.badRequest('tripId must not be empty.');
      const view = await bookings.post(
        principalOf(request),
        selectorOf(lower),
        xmlBodyOf(request),
        tripId,
        baseUrl(request),
      );
      return sendTrip(request, reply, view);
    });

    app.post(`${path}/cancel`, { config: ITINERARY }, async (request, reply) => {
      const { lower } = lowerCaseParameters(request.query);
      const result = await cancels.cancel(
        principalOf(request),
        selectorOf(lower),
        required(lower, 'bookingSource'),
        required(lower, 'confirmationNumber'),
        baseUrl(request),
      );
      return sendXml(reply, presentCancelledBooking(result.booking));
    });
  }
}
