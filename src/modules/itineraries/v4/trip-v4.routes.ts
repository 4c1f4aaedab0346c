/**
 * Itinerary v4 (`GET /travel/v4/trips/{id}`) and the Itineraries v4 list (`GET /travel/v4/trips`),
 * as Concur's references describe them (docs/COMPATIBILITY.md, "Itinerary v4"): JSON, scope
 * `travel.itinerary.read`, company-level tokens, errors as `{ errors: [...] }`.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { sendSerializedJson } from '../../../http/json-reply.js';
import { callerOf } from '../itinerary-replies.js';
import { keptRenderingOf } from '../present/kept-renderings.js';
import { presentItineraryV4, V4_TRIPS_PATH, v4TripUrl } from './itinerary-v4.presenter.js';
import {
  dayOf,
  onlyDocumentedParameters,
  TripV4ListQuery,
  TripV4ListResponse,
  TripV4Path,
  TripV4Response,
  V4_CONFIG,
  V4ErrorResponse,
} from './trip-v4.requests.js';
import type { TripPage, TripV4Service } from './trip-v4.service.js';

interface TripV4RoutesOptions {
  service: TripV4Service;
  publicBaseUrl?: string;
}

const ERROR_RESPONSES = { 400: V4ErrorResponse, 401: V4ErrorResponse, 403: V4ErrorResponse };

/** The URL of a neighbouring page: the same filters, the resolved `endDateFrom`, the cursor. */
function operationUrl(
  listUrl: string,
  query: TripV4ListQuery,
  page: TripPage,
  cursor: string,
): string {
  const params = new URLSearchParams();
  if (query.schema !== undefined) params.set('schema', query.schema);
  params.set('endDateFrom', new Date(page.endDateFrom).toISOString().slice(0, 10));
  if (query.endDateTo !== undefined) params.set('endDateTo', query.endDateTo);
  params.set('startAfter', cursor);
  return `${listUrl}?${params.toString()}`;
}

/** Registers the v4 trip routes. */
export async function tripV4Routes(app: FastifyInstance, options: TripV4RoutesOptions) {
  const routes = app.withTypeProvider<TypeBoxTypeProvider>();
  const { service } = options;
  const caller = (request: Parameters<typeof callerOf>[0]) =>
    callerOf(request, options.publicBaseUrl);

  routes.get(
    V4_TRIPS_PATH,
    {
      config: V4_CONFIG,
      schema: {
        summary: 'List trips (Itineraries v4)',
        description: '10 trips a page by end date; `startAfter` is the opaque cursor of `next`.',
        tags: ['Itinerary v4'],
        querystring: TripV4ListQuery,
        response: { 200: TripV4ListResponse, ...ERROR_RESPONSES },
      },
      preValidation: onlyDocumentedParameters,
    },
    async (request) => {
      const { query } = request;
      const { principal, baseUrl: base } = caller(request);
      const page = await service.list(principal, {
        endDateFrom:
          query.endDateFrom === undefined ? undefined : dayOf('endDateFrom', query.endDateFrom),
        endDateTo: query.endDateTo === undefined ? undefined : dayOf('endDateTo', query.endDateTo),
        startAfter: query.startAfter,
      });
      const listUrl = `${base}${V4_TRIPS_PATH}`;
      const operations: { rel: 'next' | 'prev'; href: string }[] = [];
      if (page.next)
        operations.push({ rel: 'next', href: operationUrl(listUrl, query, page, page.next) });
      if (page.prev)
        operations.push({ rel: 'prev', href: operationUrl(listUrl, query, page, page.prev) });
      return {
        data: page.ids.map((id) => ({ id, href: v4TripUrl(base, id) })),
        operations,
      };
    },
  );

  routes.get(
    `${V4_TRIPS_PATH}/:id`,
    {
      config: V4_CONFIG,
      schema: {
        summary: 'Get a trip (Itinerary v4)',
        description: 'The v4 id is the v1.1 TripId.',
        tags: ['Itinerary v4'],
        params: TripV4Path,
        response: { 200: TripV4Response, ...ERROR_RESPONSES, 404: V4ErrorResponse },
      },
      // JSON.stringify keeps the example's key order; a schema-compiled serializer would put the
      // schema's declared keys first (the schema documents the answer, it does not shape it).
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (request, reply) => {
      const { principal, baseUrl } = caller(request);
      const opened = await service.open(principal, request.params.id);
      const { audience } = opened;
      const viewer = audience.kind === 'full' ? 'full' : `supplier:${audience.bookingSource}`;
      // Rendered once per kept read of the trip, viewer and base URL (present/kept-renderings.ts).
      const bytes = await keptRenderingOf(opened.readKey, `v4\n${viewer}\n${baseUrl}`, async () =>
        JSON.stringify(presentItineraryV4(await opened.load(), baseUrl)),
      );
      return sendSerializedJson(reply, bytes);
    },
  );
}
