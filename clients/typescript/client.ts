/**
 * Itinera's typed TypeScript client: openapi-fetch over the types generated from the OpenAPI
 * document (api.generated.ts, `npm run generate`). Paths, parameters and JSON answers are
 * typed; v1.1 XML bodies and answers are strings (send them with `xmlBody`, read them with
 * `parseAs: 'text'`).
 *
 * ```ts
 * const itinera = createItineraClient({ baseUrl: 'https://itinera.example', token });
 * const { data } = await itinera.GET('/api/travel/trip/v1.1', {
 *   params: { query: { itemsperpage: 10, page: 1 } },
 *   headers: { accept: 'application/json' },
 * });
 * ```
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './api.generated.js';

export type { components, paths };

/** Itinera's JSON error (`Accept: application/json`): the same code and message as the XML. */
export type ItineraError = components['schemas']['JsonError'];

export interface ItineraClientOptions {
  /** Where Itinera runs, e.g. `https://itinera.example` (no trailing slash). */
  baseUrl: string;
  /** An access token from `POST /oauth2/v0/token`, sent as `Authorization: Bearer …`. */
  token?: string;
  /** A `fetch` of your own (tests, proxies); the global one by default. */
  fetch?: typeof globalThis.fetch;
}

/**
 * A client for every endpoint of the document; JSON answers and errors are typed (XML ones are
 * read with `parseAs: 'text'`).
 */
export function createItineraClient(
  options: ItineraClientOptions,
): Client<paths, 'application/json'> {
  return createClient<paths, 'application/json'>({
    baseUrl: options.baseUrl,
    // Errors as JSON (the document's JsonError); XML answers still come as XML.
    headers: {
      accept: 'application/json, application/xml;q=0.9',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/** Request options that send `xml` as is, as `application/xml` (trip and booking POSTs). */
export function xmlBody(xml: string) {
  return {
    body: xml,
    bodySerializer: (body: string) => body,
    headers: { 'content-type': 'application/xml' },
  } as const;
}
