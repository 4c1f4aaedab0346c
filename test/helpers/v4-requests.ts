/**
 * Requests of the Itinerary v4 tests: a company token with the v4 scope, the trip and list
 * GETs, and the reference's complete example (the JSON block of `v4.itinerary.md`).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Client } from './access-world.js';
import { REPO_ROOT } from './reference-files.js';
import type { TestContext } from './test-app.js';
import { auth } from './trip-requests.js';

export const V4_PATH = '/travel/v4/trips';
export const V4_SCOPE = 'travel.itinerary.read';

/** An app's company-level token (client_credentials), by default with ITINER and the v4 scope. */
export async function v4Token(
  context: TestContext,
  app: Client,
  scope = `ITINER ${V4_SCOPE}`,
): Promise<string> {
  const response = await context.app.inject({
    method: 'POST',
    url: '/oauth2/v0/token',
    payload: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      scope,
    }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  if (response.statusCode !== 200) throw new Error(`client_credentials failed: ${response.body}`);
  return (response.json() as { access_token: string }).access_token;
}

/** GET a trip in v4. */
export function getTripV4(
  app: FastifyInstance,
  token: string,
  id: string,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'GET',
    url: `${V4_PATH}/${encodeURIComponent(id)}`,
    headers: { ...auth(token), accept: 'application/json' },
  });
}

/** GET the v4 list; `url` is a query string or an operation's full href. */
export function listTripsV4(
  app: FastifyInstance,
  token: string,
  url: string | Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const target =
    typeof url === 'string'
      ? url.replace(/^https?:\/\/[^/]+/, '')
      : `${V4_PATH}${Object.keys(url).length ? `?${new URLSearchParams(url)}` : ''}`;
  return app.inject({ method: 'GET', url: target, headers: auth(token) });
}

export interface V4List {
  data: { id: string; href: string }[];
  operations: { rel: 'next' | 'prev'; href: string }[];
}

/** The link of operation `rel` of a list answer, if any. */
export function operation(list: V4List, rel: 'next' | 'prev'): string | undefined {
  return list.operations.find((o) => o.rel === rel)?.href;
}

/** The complete example of Concur's Itinerary v4 reference ("Response" of "Retrieve a Trip"). */
export function referenceExample(): Record<string, unknown> {
  const doc = fs.readFileSync(
    path.join(REPO_ROOT, 'reference/concur/modern/v4.itinerary.md'),
    'utf8',
  );
  const response = doc.slice(doc.indexOf('#### Response'));
  const block = /```json\n([\s\S]*?)\n```/.exec(response);
  if (!block?.[1]) throw new Error('No JSON example in v4.itinerary.md');
  return JSON.parse(block[1]) as Record<string, unknown>;
}

/** Asserts a v4 error answer: the status and one error in the reference's error schema. */
export function v4Error(response: LightMyRequestResponse, status: number): string {
  if (response.statusCode !== status) {
    throw new Error(`expected ${status}, got ${response.statusCode}: ${response.body}`);
  }
  const body = response.json() as { errors: { errorCode: string; errorMessage: string }[] };
  if (!Array.isArray(body.errors) || body.errors.length !== 1) {
    throw new Error(`not the v4 error schema: ${response.body}`);
  }
  const [error] = body.errors;
  if (typeof error?.errorCode !== 'string' || typeof error.errorMessage !== 'string') {
    throw new Error(`not the v4 error schema: ${response.body}`);
  }
  return error.errorMessage;
}
