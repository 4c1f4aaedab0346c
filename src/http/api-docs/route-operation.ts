/**
 * How a route becomes an OpenAPI operation: from the route's own schema (summary, tags,
 * querystring, params, headers, body, response) and its config (scope → security, `xmlRoot` →
 * an XML request body, `errorFormat` → the error responses). A route that declares nothing but
 * its path still appears, so that no endpoint can be left out of the document.
 */
import type { RouteOptions } from 'fastify';
import { REQUEST_ROOTS } from '../../xml/request-roots.js';

/** The published XSD of the Itinerary and Booking documents (docs/SPEC.md §0.1). */
export const ITINERARY_XSD_URL =
  'https://github.com/SAP-docs/preview.developer.concur.com/blob/e9acfd61c9a38d0ee34d7ad96213781bad3d162c/src/api-reference/travel/itinerary/ItinServices_Public_0.xsd';

/** The published XSD of the v1.1 trip list (`ItineraryInfoList`). */
export const TRIP_LIST_XSD_URL =
  'https://github.com/SAP-docs/preview.developer.concur.com/blob/e9acfd61c9a38d0ee34d7ad96213781bad3d162c/src/api-reference/travel/itinerary/GetListOfItinerariesRoot_v1_1.xsd';

/** Which error response an operation has; replaced by a `$ref` in the finished document. */
export const ERRORS_EXTENSION = 'x-itinera-errors';

/** The error renderings of src/http/error-handler.ts, named as components.responses. */
export type ErrorResponseName = 'Error' | 'JsonError' | 'OAuthError' | 'V4Error';

const XML_TYPES = ['application/xml', 'text/xml'] as const;

/**
 * The schema of an XML document whose root is `element`: a string on the wire, described by
 * its element name and the XSD that defines it.
 */
export function xmlDocumentSchema(element: string, description: string, xsd = ITINERARY_XSD_URL) {
  return {
    type: 'string',
    description: `${description} An XML document whose root element is <${element}>.`,
    xml: { name: element },
    externalDocs: { description: 'The published XSD', url: xsd },
  } as const;
}

/**
 * A route's success response in XML, for its `schema.response`: Fastify never serialises an XML
 * answer (it is already text), so this only describes it.
 */
export function xmlReply(element: string, description: string, xsd = ITINERARY_XSD_URL) {
  const schema = xmlDocumentSchema(element, description, xsd);
  return { description, content: { 'application/xml': { schema } } };
}

interface RouteDescription {
  schema?: RouteOptions['schema'];
  url: string;
  route: RouteOptions;
}

/** The error response of a route, from the format its errors are rendered in. */
function errorResponseOf(route: RouteOptions): ErrorResponseName {
  const format = route.config?.errorFormat;
  if (format === 'oauth-json') return 'OAuthError';
  if (format === 'json') return 'JsonError';
  if (format === 'v4-json') return 'V4Error';
  return 'Error';
}

function xmlBodyOf(route: RouteOptions) {
  const root = route.config?.xmlRoot;
  if (!root) return undefined;
  const { element } = REQUEST_ROOTS[root];
  const schema = xmlDocumentSchema(
    element,
    root === element
      ? `The ${element} document of the Itinerary XSD.`
      : `The ${root} request (a <${element}> holding a ticket's coupon, as Concur's docs show).`,
  );
  return { content: Object.fromEntries(XML_TYPES.map((type) => [type, { schema }])) };
}

function securityOf(route: RouteOptions) {
  const scope = route.config?.scope;
  if (!scope) return { security: [] };
  const scopes = typeof scope === 'string' ? [scope] : [...scope];
  const needed = scopes.includes('*')
    ? 'Any valid access token.'
    : `An access token granting ${scopes.map((s) => `\`${s}\``).join(' or ')}.`;
  return { security: [{ bearer: [] }, { OAuth: [] }], needed };
}

/**
 * @fastify/swagger's `transform`: the route's schema as the operation's description, completed
 * from its config. Never mutates the route's schema (Fastify validates with it).
 */
export function describeRoute({ schema, url, route }: RouteDescription) {
  const own = (schema ?? {}) as Record<string, unknown>;
  const method = Array.isArray(route.method) ? route.method.join(', ') : route.method;
  const { security, needed } = securityOf(route);
  const description = [own.description, needed].filter(Boolean).join('\n\n');
  const body = own.body ?? xmlBodyOf(route);
  const described: Record<string, unknown> = {
    ...own,
    summary: own.summary ?? `${method} ${url.replace(/:(\w+)/g, '{$1}')}`,
    tags: own.tags ?? ['Other'],
    security: own.security ?? security,
    response: own.response ?? { 200: { description: 'Success.', type: 'null' } },
    [ERRORS_EXTENSION]: errorResponseOf(route),
    ...(description ? { description } : {}),
    ...(body ? { body } : {}),
  };
  return { schema: described, url };
}
