/**
 * The Trip v1.1 endpoints (SPEC §2.1–§2.5). They answer XML whatever `Accept` says, except
 * the list, which answers JSON when the client asks for it (docs/COMPATIBILITY.md, "List as JSON").
 * Their parameters are declared in itinerary-requests.ts.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errors } from '../../errors.js';
import { xmlReply } from '../../http/api-docs/route-operation.js';
import { ifMatchOf } from '../../http/conditional/conditional-requests.js';
import { concurQuery, concurQueryAndBody } from '../../http/query-parameters.js';
import { xmlBodyOf } from '../../http/xml-body.js';
import { sendSerializedXml } from '../../http/xml-reply.js';
import { callerOf, ifMatchPrecondition, recordAnswer, tripAnswer } from './itinerary-replies.js';
import {
  itineraryConfig,
  listQueryOf,
  markInvertedWindow,
  selectorOf,
  TripCancelQuery,
  TripListHeaders,
  TripListParameters,
  TripWriteQuery,
} from './itinerary-requests.js';
import type { ItineraryServices } from './itinerary-services.js';
import { presentTripListJson, TRIP_PATH } from './present/itinerary.presenter.js';
import { tripListXmlBytes } from './present/trip-list-rendering.js';
import { TRIP_LIST_REPLY } from './present/trip-list-reply.js';
import type { TripView } from './rules/trip-view.js';
import { tripDetailsRoute } from './trip-details.js';
import type { ListTarget } from './trip-list.service.js';

interface TripRoutesOptions {
  services: Pick<ItineraryServices, 'trips' | 'lists'>;
  publicBaseUrl?: string;
}

/** True when the client prefers JSON for the list (XML stays the default). */
function wantsJson(accept = ''): boolean {
  return (
    /application\/json/i.test(accept) &&
    !/application\/xml|text\/xml/i.test(accept.split('application/json')[0] ?? '')
  );
}

/** A `preValidation` hook: a missing or empty XML body is refused before `tripId` is checked. */
async function xmlBodyFirst(request: FastifyRequest): Promise<void> {
  xmlBodyOf(request);
}

/** Registers the trip routes. */
export async function tripRoutes(app: FastifyInstance, options: TripRoutesOptions) {
  const { trips, lists } = options.services;
  const routes = app.withTypeProvider<TypeBoxTypeProvider>();
  const caller = (request: FastifyRequest) => callerOf(request, options.publicBaseUrl);

  // Whose trips: resolved before the other parameters are checked, so that a caller who may
  // not list them hears 403 or 404 whatever else it sent (as the list always answered).
  const listTargets = new WeakMap<FastifyRequest, ListTarget>();
  async function resolveListTarget(request: FastifyRequest): Promise<void> {
    const sent = request.sentParameters?.lower ?? {};
    listTargets.set(request, await lists.target(caller(request).principal, selectorOf(sent)));
  }

  async function list(request: FastifyRequest, reply: FastifyReply, values: TripListParameters) {
    const target = listTargets.get(request);
    if (!target) throw new Error('The list target is resolved by a preValidation hook.');
    const { principal, baseUrl } = caller(request);
    const result = await lists.list(principal, target, listQueryOf(values));
    const presentation = { baseUrl, query: request.sentParameters?.original ?? {} };
    if (wantsJson(request.headers.accept)) {
      return reply.status(200).send(presentTripListJson(result, presentation));
    }
    return sendSerializedXml(reply, tripListXmlBytes(result, presentation));
  }

  routes.get(
    TRIP_PATH,
    {
      config: itineraryConfig(TripListParameters),
      schema: {
        summary: 'List trips',
        description: 'XML `ItineraryInfoList`, or JSON when `Accept` asks for it.',
        tags: ['Trips v1.1'],
        querystring: TripListParameters,
        headers: TripListHeaders,
        response: { 200: TRIP_LIST_REPLY },
      },
      preValidation: [
        concurQuery(TripListParameters),
        resolveListTarget,
        markInvertedWindow('query'),
      ],
    },
    async (request, reply) => list(request, reply, request.query),
  );

  // The list's parameters in a JSON body as well as the query; any other body is 415, since
  // ignoring it would answer the default window as if nothing had been asked.
  routes.post(
    `${TRIP_PATH}/GetTrips`,
    {
      config: { ...itineraryConfig(TripListParameters), jsonBody: true },
      schema: {
        summary: 'List trips (parameters in a JSON body)',
        tags: ['Trips v1.1'],
        body: TripListParameters,
        headers: TripListHeaders,
        response: { 200: TRIP_LIST_REPLY },
      },
      preValidation: [
        concurQueryAndBody(
          TripListParameters,
          'The GetTrips body must be a JSON object of list parameters.',
        ),
        resolveListTarget,
        markInvertedWindow('body'),
      ],
    },
    async (request, reply) => list(request, reply, request.body),
  );

  tripDetailsRoute(app, TRIP_PATH, { trips, publicBaseUrl: options.publicBaseUrl });

  // Create, or (with tripId) replace a trip wholesale.
  routes.post(
    TRIP_PATH,
    {
      config: { ...itineraryConfig(TripWriteQuery), xmlRoot: 'Itinerary', idempotent: true },
      schema: {
        summary: 'Create a trip, or replace one (tripId)',
        tags: ['Trips v1.1'],
        querystring: TripWriteQuery,
        response: { 200: xmlReply('Itinerary', 'The trip as written.') },
      },
      preValidation: [concurQuery(TripWriteQuery), xmlBodyFirst],
    },
    async (request, reply) => {
      const who = caller(request);
      const itinerary = xmlBodyOf(request);
      const selector = selectorOf(request.query);
      const { tripid } = request.query;
      const ifMatch = ifMatchOf(request);
      if (tripid === undefined && ifMatch !== undefined) {
        // A new trip has no current representation for any ETag, `*` included, to match.
        throw errors.preconditionFailed('If-Match applies to an existing trip (tripId).');
      }
      const answer = recordAnswer(request, (view: TripView) => tripAnswer(who, view));
      const hooks = {
        precondition: ifMatchPrecondition(ifMatch, who),
        beforeCommit: answer.beforeCommit,
      };
      const view =
        tripid !== undefined
          ? await trips.update(who.principal, selector, tripid, itinerary, who.baseUrl, hooks)
          : await trips.create(who.principal, selector, itinerary, who.baseUrl, hooks);
      return answer.send(reply, view);
    },
  );

  routes.post(
    `${TRIP_PATH}/cancel`,
    {
      config: { ...itineraryConfig(TripCancelQuery), idempotent: true },
      schema: {
        summary: 'Cancel a trip',
        tags: ['Trips v1.1'],
        querystring: TripCancelQuery,
        response: { 200: xmlReply('Itinerary', 'The cancelled trip.') },
      },
      preValidation: concurQuery(TripCancelQuery),
    },
    async (request, reply) => {
      const who = caller(request);
      const { tripid } = request.query;
      const answer = recordAnswer(request, (view: TripView) => tripAnswer(who, view));
      const view = await trips.cancel(
        who.principal,
        selectorOf(request.query),
        tripid,
        who.baseUrl,
        {
          precondition: ifMatchPrecondition(ifMatchOf(request), who),
          beforeCommit: answer.beforeCommit,
        },
      );
      return answer.send(reply, view);
    },
  );
}
