/**
 * The Trip v1.0 list, `GET /api/travel/trip/v1.0` (and `…/v1.0/`), and trip details, `GET
 * /api/travel/trip/v1.0/{tripId}`, which clients written before v1.1 still call. Neither the
 * reference nor NOTES/SPEC document a v1.0 that differs from v1.1 (docs/COMPATIBILITY.md, "Trip
 * v1.0 list" and "Trip v1.0 details"), so the list is v1.1's list service with v1.1's
 * parameters and its `ItineraryInfoList` answer, always in XML (the JSON answer is an Itinera
 * addition v1.0 clients never asked for), and details are v1.1's route under the older path.
 * Older clients' doubled `?` is tolerated here.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { concurQuery } from '../../http/query-parameters.js';
import { tolerateDoubledQuestionMarks } from '../../http/tolerant-query.js';
import { sendSerializedXml } from '../../http/xml-reply.js';
import { callerOf } from './itinerary-replies.js';
import {
  itineraryConfig,
  listQueryOf,
  markInvertedWindow,
  selectorOf,
  TripListHeaders,
  TripListParameters,
} from './itinerary-requests.js';
import type { ItineraryServices } from './itinerary-services.js';
import { tripListXmlBytes } from './present/trip-list-rendering.js';
import { TRIP_LIST_REPLY } from './present/trip-list-reply.js';
import { tripDetailsRoute } from './trip-details.js';
import type { ListTarget } from './trip-list.service.js';

export const TRIP_V10_PATH = '/api/travel/trip/v1.0';

interface TripV10RoutesOptions {
  services: Pick<ItineraryServices, 'lists' | 'trips'>;
  publicBaseUrl?: string;
}

/** Registers the v1.0 trip list and trip details. */
export async function tripV10Routes(app: FastifyInstance, options: TripV10RoutesOptions) {
  const { lists } = options.services;
  const caller = (request: FastifyRequest) => callerOf(request, options.publicBaseUrl);

  // Whose trips, resolved before the other parameters are checked (as v1.1's list does).
  const listTargets = new WeakMap<FastifyRequest, ListTarget>();
  async function resolveListTarget(request: FastifyRequest): Promise<void> {
    const sent = request.sentParameters?.lower ?? {};
    listTargets.set(request, await lists.target(caller(request).principal, selectorOf(sent)));
  }

  app.withTypeProvider<TypeBoxTypeProvider>().get(
    TRIP_V10_PATH,
    {
      config: itineraryConfig(TripListParameters),
      schema: {
        summary: 'List trips (v1.0 path)',
        tags: ['Trips v1.1'],
        querystring: TripListParameters,
        headers: TripListHeaders,
        response: { 200: TRIP_LIST_REPLY },
      },
      preValidation: [
        tolerateDoubledQuestionMarks,
        concurQuery(TripListParameters),
        resolveListTarget,
        markInvertedWindow('query'),
      ],
    },
    async (request, reply) => {
      const target = listTargets.get(request);
      if (!target) throw new Error('The list target is resolved by a preValidation hook.');
      const { principal, baseUrl } = caller(request);
      const result = await lists.list(principal, target, listQueryOf(request.query));
      const presentation = { baseUrl, query: request.sentParameters?.original ?? {} };
      return sendSerializedXml(reply, tripListXmlBytes(result, presentation));
    },
  );

  tripDetailsRoute(app, TRIP_V10_PATH, {
    trips: options.services.trips,
    publicBaseUrl: options.publicBaseUrl,
    tolerant: true,
  });
}
