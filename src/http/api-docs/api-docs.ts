/**
 * The OpenAPI 3.1 document at `GET /openapi.json` and the interactive docs page at `GET /docs`.
 * The document is generated from the routes' own schemas and config (route-operation.ts) by
 * @fastify/swagger, which must be registered before any route; it is public: it holds paths and
 * schemas, never configuration or secrets. The docs page is @fastify/swagger-ui, served from the
 * package's own files (no CDN) under a Content-Security-Policy that allows nothing else.
 */
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { ANNOTATION_KEYWORDS } from '../query-schema.js';
import { DocsApp } from './docs-app.js';
import {
  JsonErrorSchema,
  OAUTH_ERROR_SCHEMA,
  V4_ERROR_SCHEMA,
  XML_ERROR_SCHEMA,
} from './error-schemas.js';
import { describeRoute, ERRORS_EXTENSION } from './route-operation.js';

/** Where the document and the page are served. */
export const OPENAPI_PATH = '/openapi.json';
export const DOCS_PATH = '/docs';

/**
 * The page's policy: its scripts, styles, fonts and images come from this server only (inline
 * styles and data: images are what Swagger UI itself sets); it may fetch only this server.
 */
export const DOCS_CSP = [
  "default-src 'self'",
  "base-uri 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

/** A route as registered: what the completeness test compares with the document. */
export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
  /** Left out of the document on purpose (`schema.hide`: the docs page's own files). */
  readonly hidden: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered after the API docs, in order (HEAD included). */
    readonly registeredRoutes: readonly RegisteredRoute[];
  }
}

export interface ApiDocsOptions {
  /** Itinera's version, the document's `info.version`. */
  version: string;
  /** When configured, the document's one server; otherwise paths are relative to where it is read. */
  publicBaseUrl?: string;
}

const { $id: _id, ...jsonError } = JsonErrorSchema;

/** Tags of the operations, in the order the page lists them. */
const TAGS = [
  { name: 'Trips v1.1', description: "Concur's Itinerary v1.1 Trip resource (and the v1.0 list)." },
  { name: 'Bookings v1.1', description: "Concur's Itinerary v1.1 Booking resource (and v1.0)." },
  { name: 'Itinerary v4', description: "Concur's Itinerary v4 JSON (trips by id, the list)." },
  { name: 'Events (ESS v4)', description: 'ESS webhook subscriptions and the itinerary topic.' },
  { name: 'Users', description: "The TMC guide's user look-up." },
  { name: 'OAuth', description: "Tokens, sign-in, keys; Concur's pre-2017 `.ashx` endpoints." },
  { name: 'Notifications', description: 'Itinerary change notifications (docs/NOTIFICATIONS.md).' },
  { name: 'Operations', description: "Itinera's own health, readiness, version and metrics." },
  { name: 'Documentation', description: 'This document and its interactive page.' },
];

/** Errors answered in both forms: XML unless the client prefers JSON (`Accept`). */
const ERROR_RESPONSES = {
  Error: {
    description:
      "The error, in Concur's XML `<Error>` or, when `Accept` prefers `application/json`, as JSON.",
    content: {
      'application/xml': { schema: XML_ERROR_SCHEMA },
      'application/json': { schema: { $ref: '#/components/schemas/JsonError' } },
    },
  },
  JsonError: {
    description: 'The error as JSON.',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/JsonError' } } },
  },
  OAuthError: {
    description: "An OAuth 2.0 error with Concur's numeric code.",
    content: { 'application/json': { schema: { $ref: '#/components/schemas/OAuthError' } } },
  },
  V4Error: {
    description: "Itinerary v4's error: `{ errors: [{ errorCode, errorMessage }] }`.",
    content: { 'application/json': { schema: { $ref: '#/components/schemas/V4Error' } } },
  },
};

type Operation = Record<string, unknown> & { responses?: Record<string, unknown> };

/** Replaces each operation's error marker by references to the shared error responses. */
function withErrorResponses<Document extends object>(document: Document): Document {
  const { paths } = document as { paths?: Record<string, Record<string, Operation>> };
  for (const item of Object.values(paths ?? {})) {
    for (const operation of Object.values(item)) {
      const name = operation[ERRORS_EXTENSION];
      if (typeof name !== 'string') continue;
      delete operation[ERRORS_EXTENSION];
      const ref = { $ref: `#/components/responses/${name}` };
      operation.responses = { ...operation.responses, '4XX': ref, '5XX': ref };
    }
  }
  return document;
}

const ANNOTATIONS: ReadonlySet<string> = new Set(ANNOTATION_KEYWORDS);

/**
 * Removes the query schemas' own keywords (how a value is read, its 400 message): they mean
 * nothing to a reader of the document. Property names are kept, whatever they are.
 */
function withoutAnnotations(node: unknown, isPropertyMap = false): void {
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    if (!isPropertyMap && ANNOTATIONS.has(key)) {
      delete (node as Record<string, unknown>)[key];
    } else {
      withoutAnnotations(value, !isPropertyMap && key === 'properties');
    }
  }
}

/** The document as served: error responses shared, the query schemas' own keywords gone. */
function finished<Document extends object>(document: Document): Document {
  withoutAnnotations(document);
  return withErrorResponses(document);
}

/** Registers the document and the page; call before registering any route. */
export function registerApiDocs(app: FastifyInstance, options: ApiDocsOptions): void {
  const routes: RegisteredRoute[] = [];
  app.decorate('registeredRoutes', routes);
  const docs = new DocsApp({ swagger: swaggerOptions(options), ui: UI_OPTIONS });
  app.addHook('onRoute', (route) => {
    const hidden = (route.schema as { hide?: boolean } | undefined)?.hide === true;
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, hidden });
    docs.collect(route);
  });
  app.get(
    OPENAPI_PATH,
    { schema: { summary: 'The OpenAPI 3.1 document', tags: ['Documentation'] } },
    () => docs.openapi(),
  );
  // The page and its files, as Swagger UI answers them (hidden from the document, as its own).
  const page = { schema: { hide: true } };
  app.get(DOCS_PATH, page, (request, reply) => docs.answer(request, reply));
  app.get(`${DOCS_PATH}/*`, page, (request, reply) => docs.answer(request, reply));
}

/** Swagger UI from the package's own files, under the page's policy. */
const UI_OPTIONS = {
  routePrefix: DOCS_PATH,
  staticCSP: DOCS_CSP,
  uiConfig: { deepLinking: true },
  theme: { title: 'Itinera API' },
};

/** @fastify/swagger's options: the document's frame, each route described by describeRoute. */
function swaggerOptions(options: ApiDocsOptions): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Itinera',
        version: options.version,
        description:
          "Itinera: an open-source, wire-compatible re-implementation of SAP Concur's itinerary " +
          'services. v1.1 bodies are XML (the published XSD); errors are XML unless the client ' +
          'prefers JSON.',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      ...(options.publicBaseUrl ? { servers: [{ url: options.publicBaseUrl }] } : {}),
      tags: TAGS,
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description: 'An RS256 access token from `POST /oauth2/v0/token`.',
          },
          OAuth: {
            type: 'apiKey',
            in: 'header',
            name: 'Authorization',
            description: "Concur's older form of the same token: `Authorization: OAuth <token>`.",
          },
        },
        schemas: { JsonError: jsonError, OAuthError: OAUTH_ERROR_SCHEMA, V4Error: V4_ERROR_SCHEMA },
        responses: ERROR_RESPONSES,
      },
    },
    transform: describeRoute,
    transformObject: (documents) =>
      'openapiObject' in documents ? finished(documents.openapiObject) : documents.swaggerObject,
  };
}
