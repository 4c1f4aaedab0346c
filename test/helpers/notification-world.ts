/**
 * Helpers for the notification tests: a world of subscribed apps, postback URLs, subscribe
 * calls, and reading the outbox.
 */
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { NotificationRow } from '../../src/db/database.js';
import { formatUtc } from '../../src/domain/dates.js';
import { type AccessWorld, seedAccessWorld, userToken } from './access-world.js';
import { sample } from './reference-files.js';
import type { TestContext } from './test-app.js';
import { auth } from './trip-requests.js';
import { parseXml, text, type XmlElement } from './xml-tree.js';

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

type Persona = 'tmc' | 'otherAgencyTmc' | 'supplier' | 'partner' | 'foreignTmc';

/** The access world with every app given a postback URL and subscribed by an admin. */
export interface SubscribedWorld {
  world: AccessWorld;
  /** App ids by persona. */
  ids: Record<Persona, string>;
  /** The home traveller's token through the TMC app. */
  traveller: string;
  /** The sorted app ids of the personas named. */
  expected(...names: Persona[]): string[];
}

/** Seeds the access world, gives every app a postback URL and subscribes each through an admin. */
export async function seedSubscribedWorld(context: TestContext): Promise<SubscribedWorld> {
  const world = await seedAccessWorld(context);
  const ids = { tmc: '', otherAgencyTmc: '', supplier: '', partner: '', foreignTmc: '' };
  for (const name of Object.keys(ids) as Persona[]) {
    const app = world.apps[name];
    await setPostbackUrl(context, app.clientId, `https://${name}.example/postback`);
    ids[name] = await appIdOf(context, app.clientId);
    const admin = name === 'foreignTmc' ? world.foreign.admin : world.home.admin;
    await subscribe(context, await userToken(context, app, admin));
  }
  return {
    world,
    ids,
    traveller: await userToken(context, world.apps.tmc, world.home.traveller),
    expected: (...names) => names.map((n) => ids[n]).sort(),
  };
}

/** The sorted app ids of outbox rows. */
export const appsOf = (rows: NotificationRow[]) => rows.map((r) => r.app_id).sort();

/** Children names, namespace and fixed values as in the published sample. */
export function expectSampleShape(
  body: string,
  tripId: string,
  eventType: string,
  row: NotificationRow,
) {
  const published = parseXml(sample('itinerary-notification-postback.xml'));
  const doc = parseXml(body);
  expect(doc.name).toBe('Notification');
  expect(doc.uri).toBe('');
  expect(doc.children.map((c) => c.name)).toEqual(published.children.map((c) => c.name));
  expect(doc.children.every((c) => c.uri === '')).toBe(true);
  expect(text(doc, 'ObjectType')).toBe(text(published, 'ObjectType'));
  expect(text(doc, 'EventDateTime')).toBe(formatUtc(row.event_at));
  expect(text(doc, 'EventType')).toBe(eventType);
  expect(text(doc, 'TripId')).toBe(tripId);
  expect(body.startsWith('<?xml version="1.0" encoding="utf-8"?><Notification><ObjectType>')).toBe(
    true,
  );
  expect(body.endsWith(`</Context><TripId>${tripId}</TripId></Notification>`)).toBe(true);
}
