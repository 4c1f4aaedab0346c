/**
 * Counts every answered request in `itinera_http_request_duration_seconds`, labelled with the
 * route's pattern (`/api/travel/trip/v1.1/:id`), never the URL itself: URLs carry trip ids and
 * query values, which would make a series per trip and put identifiers into the metrics.
 */
import type { FastifyInstance } from 'fastify';
import { httpRequestDuration } from '../../observability/metrics.js';

/** The route label of requests no route matched (404s, scanners): one series, not one a URL. */
export const UNMATCHED_ROUTE = 'unmatched';

type Child = ReturnType<typeof httpRequestDuration.labels>;

/** Adds the hook; call before the routes are registered. */
export function registerRequestMetrics(app: FastifyInstance): void {
  // One bound child per (route, method, status) seen: routes and statuses are few, so the map
  // stays small, and a request allocates no label object.
  const children = new Map<string, Child>();
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    const key = `${reply.statusCode} ${request.method} ${route}`;
    let child = children.get(key);
    if (!child) {
      child = httpRequestDuration.labels(route, request.method, String(reply.statusCode));
      children.set(key, child);
    }
    child.observe(reply.elapsedTime / 1000);
  });
}
