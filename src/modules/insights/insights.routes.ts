/**
 * Insights v3 (`GET /api/v3.0/insights/opportunities`, `GET /api/v3.0/insights/latestbookings`),
 * as Concur's references and swagger files describe them (docs/COMPATIBILITY.md, "Insights
 * v3"): JSON answers, the v1.1 read scope `ITINER`, errors in Concur's `<Error>` or, when the
 * client prefers JSON, Itinera's JSON error.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { baseUrlOf } from '../../http/base-url.js';
import { principalOf } from '../accounts/index.js';
import { presentLatestBookings, presentOpportunities } from './insights.presenter.js';
import {
  INSIGHTS_CONFIG,
  LATEST_BOOKINGS_PATH,
  LatestBookingsQuery,
  LatestBookingsResponse,
  OPPORTUNITIES_PATH,
  OpportunitiesQuery,
  OpportunitiesResponse,
  onlyParameters,
  opportunitiesRequest,
} from './insights.requests.js';
import type { InsightsService } from './insights.service.js';

interface InsightsRoutesOptions {
  service: InsightsService;
  publicBaseUrl?: string;
}

/** The URL of the next page: the same window and types, the cursor as `offset`. */
function nextPageUrl(
  base: string,
  window: { from: number; to: number; types: readonly string[] },
  cursor: string,
): string {
  const params = new URLSearchParams({
    fromUtc: new Date(window.from).toISOString(),
    toUtc: new Date(window.to).toISOString(),
  });
  if (window.types.length > 0) params.set('opportunityType', window.types.join(','));
  params.set('offset', cursor);
  return `${base}${OPPORTUNITIES_PATH}?${params.toString()}`;
}

/**
 * JSON.stringify keeps the presenter's key order (the reference's); a schema-compiled serializer
 * would put required keys first (the schema documents the answer, it does not shape it).
 */
const inDocumentOrder = () => (data: unknown) => JSON.stringify(data);

/** Registers the Insights v3 routes. */
export async function insightsRoutes(app: FastifyInstance, options: InsightsRoutesOptions) {
  const routes = app.withTypeProvider<TypeBoxTypeProvider>();
  const { service } = options;
  const baseOf = (request: Parameters<typeof baseUrlOf>[0]) =>
    options.publicBaseUrl ?? baseUrlOf(request);

  routes.get(
    OPPORTUNITIES_PATH,
    {
      config: INSIGHTS_CONFIG,
      schema: {
        summary: 'Opportunities of a trip or of the trips in a window (Insights v3)',
        description:
          'Gaps a supplier could fill (docs/INSIGHTS.md): `tripId`, or `fromUtc` and `toUtc` ' +
          '(at most 366 days) paged through `NextPage`; `opportunityType` filters.',
        tags: ['Insights v3'],
        querystring: OpportunitiesQuery,
        response: { 200: OpportunitiesResponse },
      },
      preValidation: onlyParameters(Object.keys(OpportunitiesQuery.properties)),
      serializerCompiler: inDocumentOrder,
    },
    async (request) => {
      const principal = principalOf(request);
      const base = baseOf(request);
      const asked = opportunitiesRequest(request.query);
      if (asked.kind === 'trip') {
        return presentOpportunities(
          base,
          await service.ofTrip(principal, asked.tripId, asked.types),
        );
      }
      const page = await service.inWindow(principal, asked);
      return presentOpportunities(
        base,
        page.items,
        page.next === undefined ? undefined : nextPageUrl(base, asked, page.next),
      );
    },
  );

  routes.get(
    LATEST_BOOKINGS_PATH,
    {
      config: INSIGHTS_CONFIG,
      schema: {
        summary: 'The latest airline and hotel bookings of a traveller (Insights v3)',
        description:
          'The caller’s own, or with `user` (a login id) a traveller of the company, for Web ' +
          'Services Administrators, Can Administer users and company-level tokens.',
        tags: ['Insights v3'],
        querystring: LatestBookingsQuery,
        response: { 200: LatestBookingsResponse },
      },
      preValidation: onlyParameters(Object.keys(LatestBookingsQuery.properties)),
      serializerCompiler: inDocumentOrder,
    },
    async (request) =>
      presentLatestBookings(await service.latest(principalOf(request), request.query.user)),
  );
}
