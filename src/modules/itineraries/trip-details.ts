/**
 * Trip details (SPEC §2.2), shared by `GET /api/travel/trip/v1.1/{tripId}` and its v1.0 form
 * (trip-v10.routes.ts): one route definition, so that both paths check, authorize and answer
 * alike. XML whatever `Accept` says; `systemFormat=Tripit` answers TripIt's format.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors } from '../../errors.js';
import { xmlReply } from '../../http/api-docs/route-operation.js';
import { ifNoneMatchHits, ifNoneMatchOf } from '../../http/conditional/conditional-requests.js';
import { concurQuery } from '../../http/query-parameters.js';
import { tolerateDoubledQuestionMarks } from '../../http/tolerant-query.js';
import { sendSerializedXml, sendXml } from '../../http/xml-reply.js';
import type { XmlDocument } from '../../xml/output/xml-output.js';
import { visibleTrip } from './access/trip-visibility.js';
import { callerOf, etagViewerOf } from './itinerary-replies.js';
import { itineraryConfig, selectorOf, TripDetailsQuery, TripPath } from './itinerary-requests.js';
import type { ItineraryServices } from './itinerary-services.js';
import { presentItinerary, storedItineraryBytes } from './present/itinerary.presenter.js';
import { tripEtag } from './present/trip-etag.js';
import { presentTripItResponse } from './present/tripit.presenter.js';

/**
 * A `preValidation` hook, after the parameters are read: the trip id of the path holds no NUL
 * (no id does; PostgreSQL text cannot hold one), else the trip is unknown. Ahead of the query's
 * checks, as it has always been.
 */
async function knownTripId(request: FastifyRequest): Promise<void> {
  const { tripId } = request.params as { tripId: string };
  if (tripId.includes('\u0000')) throw errors.tripNotFound(tripId);
}

interface TripDetailsRouteOptions {
  trips: ItineraryServices['trips'];
  publicBaseUrl?: string | undefined;
  /** Older clients' doubled `?` separates parameters (the v1.0 path, as its list). */
  tolerant?: boolean;
}

/** Registers trip details at `${basePath}/:tripId`. */
export function tripDetailsRoute(
  app: FastifyInstance,
  basePath: string,
  options: TripDetailsRouteOptions,
): void {
  const { trips } = options;
  const hooks = [concurQuery(TripDetailsQuery), knownTripId];
  if (options.tolerant) hooks.unshift(tolerateDoubledQuestionMarks);
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    `${basePath}/:tripId`,
    {
      config: itineraryConfig(TripDetailsQuery),
      schema: {
        summary: `Get trip details (${basePath.slice(-4)})`,
        description:
          "The trip as `<Itinerary>`, or TripIt's `<Response>` with `systemFormat=Tripit`.",
        tags: ['Trips v1.1'],
        params: TripPath,
        querystring: TripDetailsQuery,
        response: {
          200: xmlReply('Itinerary', 'The trip.'),
          304: {
            description: 'Not modified: the copy named by If-None-Match is current.',
            type: 'null',
          },
        },
      },
      preValidation: hooks,
    },
    async (request, reply) => {
      const caller = callerOf(request, options.publicBaseUrl);
      const { principal, audience, showLoginId, baseUrl } = caller;
      const tripit = request.query.systemformat === 'Tripit';
      const opened = await trips.open(principal, selectorOf(request.query), request.params.tripId);
      const etag = tripEtag(opened, etagViewerOf(caller, tripit ? 'tripit' : 'xml'));
      reply.header('etag', etag);
      // Nothing rendered for a client whose copy is current (RFC 9110 §13.1.2).
      if (ifNoneMatchHits(ifNoneMatchOf(request), etag)) return reply.status(304).send();
      const { rendering } = opened;
      if (!tripit && !showLoginId && audience.kind === 'full' && rendering !== undefined) {
        // The rendering stored with the trip's last write: no documents to load or rebuild,
        // and its bytes made once for as long as this read of the trip is kept.
        return sendSerializedXml(reply, storedItineraryBytes({ ...opened, rendering }, baseUrl));
      }
      const view = visibleTrip(await opened.load(), audience);
      const body: XmlDocument = tripit
        ? presentTripItResponse(view, { baseUrl })
        : presentItinerary(view, { baseUrl, showLoginId });
      return sendXml(reply, body);
    },
  );
}
