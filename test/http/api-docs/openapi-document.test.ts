/**
 * `GET /openapi.json`: a valid OpenAPI 3.1 document, public, holding every route the app
 * registered (so that a route added later cannot be left out), XML bodies described with their
 * element and XSD, the security schemes, and the JSON error shape the handler really sends.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { Value } from '@sinclair/typebox/value';
import { beforeAll, describe, expect, it } from 'vitest';
import { JsonErrorSchema } from '../../../src/http/api-docs/error-schemas.js';
import { useTestApp } from '../../helpers/app-fixture.js';
import type { TestContext } from '../../helpers/test-app.js';
import { auth, TRIP_PATH } from '../../helpers/trip-requests.js';

const METRICS_TOKEN = 'metrics-secret-7f3a9c2e51b8d4f6';

let context: TestContext;
let token: string;
type Operation = {
  summary?: string;
  tags?: string[];
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, unknown>;
};
let document: {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
};

useTestApp({ config: { metricsToken: METRICS_TOKEN } }, (given) => {
  ({ context, token } = given);
});
beforeAll(async () => {
  const response = await context.app.inject({ method: 'GET', url: '/openapi.json' });
  expect(response.statusCode, response.body).toBe(200);
  document = response.json();
});

/** Fastify's `/trips/:id` as OpenAPI's `/trips/{id}`. */
const openApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document, served without a token', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('describes every route the app registered, each method with a summary and tags', () => {
    const routes = context.app.registeredRoutes.filter((route) => route.method !== 'HEAD');
    expect(routes.length).toBeGreaterThan(20);
    for (const route of routes.filter((r) => !r.hidden)) {
      const operation = document.paths[openApiPath(route.url)]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.url}`).toBeDefined();
      expect(operation?.summary, `${route.method} ${route.url}`).toBeTruthy();
      expect(operation?.tags?.length, `${route.method} ${route.url}`).toBeGreaterThan(0);
      expect(operation?.responses['4XX'], `${route.method} ${route.url}`).toBeDefined();
    }
    // Only the docs page's own files are left out, on purpose.
    const hidden = routes.filter((r) => r.hidden).map((r) => r.url);
    expect(hidden.length).toBeGreaterThan(0);
    for (const url of hidden) expect(url).toMatch(/^\/docs(\/|$)/);
    // And the document holds nothing the app does not serve.
    const served = new Set(routes.map((r) => `${r.method} ${openApiPath(r.url)}`));
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of Object.keys(item)) {
        expect(served.has(`${method.toUpperCase()} ${path}`), `${method} ${path}`).toBe(true);
      }
    }
  });

  it('describes the v1.1 surface: XML bodies with their element and XSD, tokens, tags', () => {
    const post = document.paths[TRIP_PATH]?.post;
    const body = post?.requestBody?.content['application/xml']?.schema;
    expect(body?.xml).toEqual({ name: 'Itinerary' });
    expect((body?.externalDocs as { url?: string } | undefined)?.url).toMatch(
      /ItinServices_Public_0\.xsd$/,
    );
    expect(post?.security).toEqual([{ bearer: [] }, { OAuth: [] }]);
    expect(post?.tags).toEqual(['Trips v1.1']);
    const coupon = document.paths['/api/travel/booking/v1.1/UpdateCoupon']?.post;
    expect(coupon?.requestBody?.content['application/xml']?.schema.xml).toEqual({
      name: 'Booking',
    });
    const details = document.paths[`${TRIP_PATH}/{tripId}`]?.get;
    expect(details?.responses['200']).toMatchObject({
      content: { 'application/xml': { schema: { xml: { name: 'Itinerary' } } } },
    });
    const list = document.paths[TRIP_PATH]?.get?.responses['200'] as {
      content: Record<string, unknown>;
    };
    expect(Object.keys(list.content).sort()).toEqual(['application/json', 'application/xml']);
    // Both of Concur's v1.0 paths, the token endpoint as a form, operations without a token.
    expect(document.paths['/api/travel/booking/v1.0']?.post).toBeDefined();
    expect(document.paths['/api/travel/trip/v1.0']?.get).toBeDefined();
    expect(
      Object.keys(document.paths['/oauth2/v0/token']?.post?.requestBody?.content ?? {}),
    ).toEqual(['application/x-www-form-urlencoded']);
    expect(document.paths['/healthz']?.get?.security).toEqual([]);
    expect(document.components.securitySchemes).toMatchObject({
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      OAuth: { type: 'apiKey', in: 'header', name: 'Authorization' },
    });
  });

  it('holds no configured secret and none of the query schemas’ own keywords', () => {
    const text = JSON.stringify(document);
    expect(text).not.toContain(METRICS_TOKEN);
    expect(text).not.toMatch(/"(wireFormat|invalidMessage|missingMessage)"/);
  });

  it('describes the JSON error exactly as the handler sends it', async () => {
    const { $id: _id, ...shape } = JsonErrorSchema;
    expect(document.components.schemas?.JsonError).toEqual(JSON.parse(JSON.stringify(shape)));
    const validate = (body: unknown) => Value.Check(JsonErrorSchema, body);
    const notFound = await context.app.inject({
      method: 'GET',
      url: `${TRIP_PATH}/no-such-trip`,
      headers: { ...auth(token), accept: 'application/json' },
    });
    expect(notFound.statusCode).toBe(404);
    expect(validate(notFound.json()), notFound.body).toBe(true);
    const cancel = await context.app.inject({
      method: 'POST',
      url: '/api/travel/booking/v1.1/cancel?bookingSource=Nobody&confirmationNumber=X1',
      headers: { ...auth(token), accept: 'application/json' },
    });
    expect(cancel.statusCode, cancel.body).toBe(404);
    expect(cancel.json()).toMatchObject({ error: 'booking_not_found', status: 'NotFound' });
    expect(validate(cancel.json()), cancel.body).toBe(true);
  });
});
