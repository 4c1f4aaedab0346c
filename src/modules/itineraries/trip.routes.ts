/**
 * The Trip v1.1 endpoints (SPEC §2.1–§2.5). They answer XML whatever `Accept` says, except
 * the list, which answers JSON when the client asks for it (docs/COMPATIBILITY.md, "List as JSON").
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errors } from '../../errors.js';
import { baseUrlOf } from '../../http/base-url.js';
import { lowerCaseParameters } from '../../http/query-parameters.js';
import { xmlBodyOf } from '../../http/xml-body.js';
import { sendXml } from '../../http/xml-reply.js';
import type { XmlDocument } from '../../xml/output/xml-output.js';
import { isAdmin, principalOf, READ_ADMIN_ROLES, type UserSelector } from '../accounts/index.js';
import { audienceOf, visibleTrip } from './access/trip-visibility.js';
import type { ItineraryServices } from './itinerary-services.js';
import {
  presentItinerary,
  presentStoredItinerary,
  presentTripListJson,
  presentTripListXml,
  TRIP_PATH,
} from './present/itinerary.presenter.js';
import { presentTripItResponse } from './present/tripit.presenter.js';
import type { TripView } from './rules/trip-view.js';
import type { ListParameters } from './trip-list.service.js';

interface TripRoutesOptions {
  services: Pick<ItineraryServices, 'trips' | 'lists'>;
  publicBaseUrl?: string;
}

// Every itinerary endpoint needs the ITINER scope and counts against the (app, company) limits.
const ITINERARY = { scope: 'ITINER', rateLimited: true } as const;

function selectorOf(params: ListParameters): UserSelector {
  return { useridType: params.userid_type, useridValue: params.userid_value };
}

/** True when the client prefers JSON for the list (XML stays the default). */
function wantsJson(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return (
    /application\/json/i.test(accept) &&
    !/application\/xml|text\/xml/i.test(accept.split('application/json')[0] ?? '')
  );
}

/** Registers the trip routes. */
export async function tripRoutes(app: FastifyInstance, options: TripRoutesOptions) {
  const { trips, lists } = options.services;
  const baseUrl = (request: FastifyRequest) => options.publicBaseUrl ?? baseUrlOf(request);

  /** Answers a write with the trip as the caller may see it. */
  function sendTrip(request: FastifyRequest, reply: FastifyReply, view: TripView) {
    const principal = principalOf(request);
    const showLoginId = isAdmin(principal, READ_ADMIN_ROLES);
    const visible = visibleTrip(view, audienceOf(principal));
    return sendXml(reply, presentItinerary(visible, { baseUrl: baseUrl(request), showLoginId }));
  }

  async function list(
    request: FastifyRequest,
    reply: FastifyReply,
    params: ListParameters,
    original: Record<string, string>,
  ) {
    const principal = principalOf(request);
    const result = await lists.list(principal, params);
    const presentation = { baseUrl: baseUrl(request), query: original };
    if (wantsJson(request))
      return reply.status(200).send(presentTripListJson(result, presentation));
    return sendXml(reply, presentTripListXml(result, presentation));
  }

  app.get(TRIP_PATH, { config: ITINERARY }, async (request, reply) => {
    const { lower, original } = lowerCaseParameters(request.query);
    return list(request, reply, lower, original);
  });

  app.post(`${TRIP_PATH}/GetTrips`, { config: ITINERARY }, async (request, reply) => {
    const fromQuery = lowerCaseParameters(request.query);
    const body = request.body;
    if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
      throw errors.badRequest('The GetTrips body must be a JSON object of list parameters.');
    }
    const fromBody = lowerCaseParameters(body ?? {});
    return list(
      request,
      reply,
      { ...fromQuery.lower, ...fromBody.lower },
      { ...fromQuery.original, ...fromBody.original },
    );
  });

  app.get<{ Params: { tripId: string } }>(
    `${TRIP_PATH}/:tripId`,
    { config: ITINERARY },
    async (request, reply) => {
      const principal = principalOf(request);
      const { lower } = lowerCaseParameters(request.query);
      const { tripId } = request.params;
      if (tripId.includes('\u0000')) throw errors.tripNotFound(tripId);
      const format = systemFormatOf(lower);
      const opened = await trips.open(principal, selectorOf(lower), tripId);
      const base = baseUrl(request);
      const showLoginId = isAdmin(principal, READ_ADMIN_ROLES);
      const audience = audienceOf(principal);
      let body: XmlDocument;
      if (
        format === 'concur' &&
        !showLoginId &&
        audience.kind === 'full' &&
        opened.rendering !== undefined
      ) {
        // The rendering stored with the trip's last write: no documents to load or rebuild.
        body = presentStoredItinerary({ id: opened.id, rendering: opened.rendering }, base);
      } else {
        const view = visibleTrip(await opened.load(), audience);
        body =
          format === 'tripit'
            ? presentTripItResponse(view, { baseUrl: base })
            : presentItinerary(view, { baseUrl: base, showLoginId });
      }
      return sendXml(reply, body);
    },
  );

  app.post(
    TRIP_PATH,
    { config: { ...ITINERARY, xmlRoot: 'Itinerary' } },
    async (request, reply) => {
      const principal = principalOf(request);
      const { lower } = lowerCaseParameters(request.query);
      const itinerary = xmlBodyOf(request);
      const tripId = lower.tripid;
      const view =
        tripId !== undefined
          ? await trips.update(
              principal,
              selectorOf(lower),
              requireTripId(tripId),
              itinerary,
              baseUrl(request),
            )
          : await trips.create(principal, selectorOf(lower), itinerary, baseUrl(request));
      return sendTrip(request, reply, view);
    },
  );

  app.post(`${TRIP_PATH}/cancel`, { config: ITINERARY }, async (request, reply) => {
    const principal = principalOf(request);
    const { lower } = lowerCaseParameters(request.query);
    if (lower.tripid === undefined) throw errors.badRequest('tripId is required to cancel a trip.');
    const view = await trips.cancel(
      principal,
      selectorOf(lower),
      requireTripId(lower.tripid),
      baseUrl(request),
    );
    return sendTrip(request, reply, view);
  });
}

/** `systemFormat` of trip details: absent (Concur's Itinerary) or `Tripit` (SPEC §2.2). */
function systemFormatOf(params: ListParameters): 'concur' | 'tripit' {
  const value = params.systemformat?.trim();
  if (value === undefined || value === '') return 'concur';
  if (value.toLowerCase() === 'tripit') return 'tripit';
  throw errors.badRequest(`systemFormat must be Tripit when sent (got '${value}').`);
}

function requireTripId(value: string): string {
  const tripId = value.trim();
  if (!tripId) throw errors.badRequest('tripId must not be empty.');
  return tripId;
}
