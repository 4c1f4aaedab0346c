import type { FastifyRequest } from 'fastify';

/** The base URL the client used to reach us (scheme and Host), without a trailing slash. */
export function baseUrlOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
