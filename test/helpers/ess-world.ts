/**
 * Helpers for the ESS v4 tests: tenants whose app holds the ESS scopes, company-level tokens,
 * the subscription calls, and the verification a receiver makes of `Concur-Signature`.
 */
import type { LightMyRequestResponse } from 'fastify';
import { companyToken } from './access-world.js';
import { seedTenant, type Tenant, type TestContext } from './test-app.js';
import { auth } from './trip-requests.js';

export const EVENTS_PATH = '/events/v4';
export const ITINERARY_TOPIC = 'public.concur.travel.itinerary';
export const ESS_SCOPES = ['openid', 'ITINER', 'events.topic.read', 'travel.itinerary.read'];

/** A tenant whose app holds `scopes` (default: ITINER and both ESS scopes), with its token. */
export async function essTenant(
  context: TestContext,
  scopes: string[] = ESS_SCOPES,
): Promise<{ tenant: Tenant; token: string }> {
  const tenant = await seedTenant(context, { scopes });
  return { tenant, token: await companyToken(context, tenant.app) };
}

/** A subscription body with the doc's shape. */
export function subscriptionBody(id: string, endpoint: string, overrides: object = {}) {
  return { id, filter: '.*', topic: ITINERARY_TOPIC, webHookConfig: { endpoint }, ...overrides };
}

/** PUT /events/v4/subscriptions/webhook. */
export function putSubscription(
  context: TestContext,
  token: string | undefined,
  body: unknown,
): Promise<LightMyRequestResponse> {
  return context.app.inject({
    method: 'PUT',
    url: `${EVENTS_PATH}/subscriptions/webhook`,
    headers: token ? auth(token) : {},
    payload: body as object,
  });
}

/** Any ESS call with the token. */
export function essCall(
  context: TestContext,
  method: 'GET' | 'DELETE',
  path: string,
  token: string | undefined,
): Promise<LightMyRequestResponse> {
  return context.app.inject({
    method,
    url: `${EVENTS_PATH}${path}`,
    headers: token ? auth(token) : {},
  });
}

/** Subscribes and expects 200. */
export async function subscribeEss(
  context: TestContext,
  token: string,
  id: string,
  endpoint: string,
  overrides: object = {},
): Promise<void> {
  const response = await putSubscription(context, token, subscriptionBody(id, endpoint, overrides));
  if (response.statusCode !== 200) throw new Error(`subscribe failed: ${response.body}`);
}
