/**
 * The Booking v1.1 endpoints (SPEC §2.6, §2.7), also served under v1.0, which Concur's
 * request lines use. A posted booking is answered with the trip that holds it, as the trip
 * details endpoint would show it to the caller, but in the booking sample's shape: the posted
 * booking as a `<Booking>` directly under `<Itinerary>` (COMPATIBILITY.md). Their parameters are declared in
 * itinerary-requests.ts.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { xmlReply } from '../../http/api-docs/route-operation.js';
import { concurQuery } from '../../http/query-parameters.js';
import { xmlBodyOf } from '../../http/xml-body.js';
import { leaf } from '../../xml/document.js';
import type { CancelledBooking } from './booking-cancel.service.js';
import {
  callerOf,
  documentAnswer,
  postedBookingAnswer,
  recordAnswer,
} from './itinerary-replies.js';
import {
  BookingCancelQuery,
  itineraryConfig,
  selectorOf,
  TripWriteQuery,
} from './itinerary-requests.js';
import type { ItineraryServices } from './itinerary-services.js';
import { presentCancelledBooking } from './present/booking.presenter.js';
import type { TripView } from './rules/trip-view.js';

interface BookingRoutesOptions {
  services: Pick<ItineraryServices, 'bookings' | 'cancels'>;
  publicBaseUrl?: string;
}

export const BOOKING_PATHS = ['/api/travel/booking/v1.1', '/api/travel/booking/v1.0'];

/** Registers the booking routes. */
export async function bookingRoutes(app: FastifyInstance, options: BookingRoutesOptions) {
  const { bookings, cancels } = options.services;
  const routes = app.withTypeProvider<TypeBoxTypeProvider>();
  const caller = (request: FastifyRequest) => callerOf(request, options.publicBaseUrl);

  for (const path of BOOKING_PATHS) {
    // With tripId, into that trip; the empty body is refused after tripId is checked.
    routes.post(
      path,
      {
        config: { ...itineraryConfig(TripWriteQuery), xmlRoot: 'Booking', idempotent: true },
        schema: {
          summary: `Post a booking (${path.slice(-4)})`,
          description: 'Merged into `tripId`, an overlapping trip of the traveller, or a new trip.',
          tags: ['Bookings v1.1'],
          querystring: TripWriteQuery,
          response: { 200: xmlReply('Itinerary', 'The trip holding the booking.') },
        },
        preValidation: concurQuery(TripWriteQuery),
      },
      async (request, reply) => {
        const who = caller(request);
        const body = xmlBodyOf(request);
        // The service checks both and stores them trimmed.
        const posted = {
          source: leaf(body, 'BookingSource')?.trim() ?? '',
          recordLocator: leaf(body, 'RecordLocator')?.trim() ?? '',
        };
        const answer = recordAnswer(request, (view: TripView) =>
          postedBookingAnswer(who, view, posted),
        );
        const view = await bookings.post(
          who.principal,
          selectorOf(request.query),
          body,
          request.query.tripid,
          who.baseUrl,
          { beforeCommit: answer.beforeCommit },
        );
        return answer.send(reply, view);
      },
    );

    routes.post(
      `${path}/cancel`,
      {
        config: { ...itineraryConfig(BookingCancelQuery), idempotent: true },
        schema: {
          summary: `Cancel a booking (${path.slice(-4)})`,
          tags: ['Bookings v1.1'],
          querystring: BookingCancelQuery,
          response: { 200: xmlReply('Booking', 'The cancelled booking.') },
        },
        preValidation: concurQuery(BookingCancelQuery),
      },
      async (request, reply) => {
        const who = caller(request);
        const { bookingsource, confirmationnumber } = request.query;
        const answer = recordAnswer(request, (result: CancelledBooking) =>
          documentAnswer(presentCancelledBooking(result.booking), who),
        );
        const result = await cancels.cancel(
          who.principal,
          selectorOf(request.query),
          bookingsource,
          confirmationnumber,
          who.baseUrl,
          { beforeCommit: answer.beforeCommit },
        );
        return answer.send(reply, result);
      },
    );
  }
}
