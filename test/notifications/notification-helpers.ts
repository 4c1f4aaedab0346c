/**
 * Helpers for the notification tests: postback URLs, subscribe calls, and reading the outbox.
 */
import type { LightMyRequestResponse } from 'fastify';
import type { NotificationRow } from '../../src/db/database.js';
import type { TestContext } from '../helpers/test-app.js';
import { auth, parseXml, type XmlElement } from '../trips/trip-helpers.js';

export const COMPANY_PATH = '/api/company/v1.0';

/** Registers (or clears) an app's postback URL, as its record in the seed file would. */
export async function setPostbackUrl(
  context: TestContext,
  clientId: string,
  url: string | null,
): Promise<void> {
  await context.database.db
    .updateTable('apps')
    .set({ postback_url: url })
    .where('client_id', '=', clientId)
    .execute();
}

/** The app's id by client id. */
export async function appIdOf(context: TestContext, clientId: string): Promise<string> {
  const row = await context.database.db
    .selectFrom('apps')
    .select('id')
    .where('client_id', '=', clientId)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** POST subscribe or unsubscribe (`query` defaults to type=itinerary). */
export function callSubscription(
  context: TestContext,
  action: 'subscribe' | 'unsubscribe',
  token: string | undefined,
  query = '?type=itinerary',
): Promise<LightMyRequestResponse> {
  return context.app.inject({
    method: 'POST',
    url: `${COMPANY_PATH}/${action}${query}`,
    headers: token ? auth(token) : {},
  });
}

/** Subscribes and expects 200. */
export async function subscribe(context: TestContext, token: string): Promise<void> {
  const response = await callSubscription(context, 'subscribe', token);
  if (response.statusCode !== 200) throw new Error(`subscribe failed: ${response.body}`);
}

/** Outbox rows of a trip, oldest first (ties by app id, so tests can read them in order). */
export function rowsOfTrip(context: TestContext, tripId: string): Promise<NotificationRow[]> {
  return context.database.db
    .selectFrom('notifications')
    .selectAll()
    .where('trip_id', '=', tripId)
    .orderBy('created_at')
    .orderBy('app_id')
    .execute();
}

/** Outbox rows of a trip for one app, oldest first. */
export async function rowsFor(
  context: TestContext,
  tripId: string,
  appId: string,
): Promise<NotificationRow[]> {
  return (await rowsOfTrip(context, tripId)).filter((row) => row.app_id === appId);
}

/** The Context/Changes entries of a notification body, flattened for assertions. */
export function changesOf(body: string): XmlElement[] {
  const doc = parseXml(body);
  const context = doc.children.find((c) => c.name === 'Context');
  return context?.children.find((c) => c.name === 'Changes')?.children ?? [];
}

/** `change` attribute by booking record locator (or source when the locator is hidden). */
export function bookingChanges(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of changesOf(body)) {
    if (entry.name !== 'Booking') continue;
    out[entry.attributes.recordLocator ?? entry.attributes.source ?? ''] =
      entry.attributes.change ?? '';
  }
  return out;
}
