/**
 * Request limits on the itinerary endpoints (routes with `config.rateLimited`), per app and
 * company: Concur allows a domain 4,000 requests a minute and 240,000 an hour (SPEC §6).
 * Runs after authentication. Every limited response carries the IETF RateLimit headers
 * (draft-ietf-httpapi-ratelimit-headers) for the tighter window; a refused request gets 429 with
 * `Retry-After` in the route's usual error format.
 */
import type { FastifyInstance } from 'fastify';
import { errors } from '../../errors.js';
import { rateLimitRefusals } from '../../observability/metrics.js';
import type { Principal } from '../accounts/index.js';
import type { RateLimiter } from './rate-limiter.service.js';

/**
 * The company whose budget a call uses. A user token: the user's company. A company token:
 * its only company, or for a token serving several, the first of them in id order. Which
 * company such a call acts on is only known once the service has looked up the traveller, after
 * the point where the limit is checked, so all of that token's calls share one budget.
 */
export function rateLimitCompanyOf(principal: Principal): string {
  if (principal.user) return principal.user.companyId;
  let first = principal.companyIds[0] ?? '';
  for (const id of principal.companyIds) if (id < first) first = id;
  return first;
}

/** Counts calls to rate-limited routes and refuses those over the limit with 429. */
export function registerRateLimits(app: FastifyInstance, limiter: RateLimiter): void {
  if (!limiter.enabled) return;
  app.addHook('onRequest', async (request, reply) => {
    const principal = request.principal;
    if (!request.routeOptions.config?.rateLimited || !principal) return;
    const decision = limiter.take(principal.app.id, rateLimitCompanyOf(principal));
    reply.header('RateLimit-Limit', String(decision.limit));
    reply.header('RateLimit-Remaining', String(decision.remaining));
    reply.header('RateLimit-Reset', String(decision.resetSeconds));
    reply.header('RateLimit-Policy', limiter.policyHeader);
    if (!decision.allowed) {
      rateLimitRefusals.inc();
      throw errors.rateLimited(decision.resetSeconds);
    }
  });
}
