/**
 * The base URL a client reached us through, for the URLs we hand back (trip ids, paging links,
 * `geolocation`, the OpenID issuer and endpoints). Behind a proxy it follows
 * `X-Forwarded-Proto`/`X-Forwarded-Host`, but only when Fastify trusts that proxy (TRUST_PROXY).
 */
import type { FastifyRequest } from 'fastify';

/** The base URL the client used to reach us (scheme and Host), without a trailing slash. */
export function baseUrlOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** Which hop of a forwarded chain to trust: (address, its index from the socket) → trusted. */
export type TrustProxyFunction = (address: string, hop: number) => boolean;

/**
 * Fastify's `trustProxy` option for a TRUST_PROXY setting. A hop count becomes a function: the
 * option takes one at run time but its type does not (the first `hops` hops are trusted).
 */
export function trustProxyOption(
  setting: boolean | number | string[],
): boolean | string[] | TrustProxyFunction {
  if (typeof setting !== 'number') return setting;
  return (_address, hop) => hop < setting;
}
