/**
 * Outbox rows as the write path makes them, for the delivery tests that drive the worker and
 * the repository directly: who a row goes to, and a row due now.
 */
import { randomUUID } from 'node:crypto';
import type { Executor, NewNotification } from '../../src/db/database.js';
import { seedTenant, type TestContext } from './test-app.js';

export interface Subscriber {
  appId: string;
  companyId: string;
  userId: string;
  loginId: string;
}

/** The ids of a seeded app, its company and a traveller, and sets the app's postback URL. */
export async function subscriberOf(
  db: Executor,
  clientId: string,
  loginId: string,
  postbackUrl: string | null,
): Promise<Subscriber> {
  const app = await db
    .selectFrom('apps')
    .select('id')
    .where('client_id', '=', clientId)
    .executeTakeFirstOrThrow();
  const user = await db
    .selectFrom('users')
    .select(['id', 'company_id'])
    .where('login_id', '=', loginId)
    .executeTakeFirstOrThrow();
  await db
    .updateTable('apps')
    .set({ postback_url: postbackUrl })
    .where('id', '=', app.id)
    .execute();
  return { appId: app.id, companyId: user.company_id, userId: user.id, loginId };
}

/** Seeds a new tenant; its traveller, as a subscriber of its app, with postback `url`. */
export async function seedSubscriber(
  context: TestContext,
  url: string | null,
): Promise<Subscriber> {
  const tenant = await seedTenant(context);
  return subscriberOf(context.database.db, tenant.app.clientId, tenant.traveller.loginId, url);
}

/** Sets where an app's notifications go. */
export async function setPostbackUrl(db: Executor, appId: string, url: string | null) {
  await db.updateTable('apps').set({ postback_url: url }).where('id', '=', appId).execute();
}

const MAX_AGE_MS = 72 * 3600_000;

/** An outbox row as the write path makes it, due now. */
export function outboxRow(
  to: Subscriber,
  overrides: Partial<NewNotification> = {},
): NewNotification {
  const now = Date.now();
  const tripId = randomUUID().replaceAll('-', '');
  const body =
    '<?xml version="1.0" encoding="utf-8"?>\n<Notification>' +
    '<ObjectType>ITINERARY</ObjectType>' +
    `<ObjectURI>http://itinera.test/api/travel/trip/v1.1/${tripId}</ObjectURI>` +
    `<EventDateTime>${new Date(now).toISOString().slice(0, 19)}</EventDateTime>` +
    `<EventType>CREATE</EventType><Context/><TripId>${tripId}</TripId></Notification>`;
  return {
    id: randomUUID(),
    app_id: to.appId,
    company_id: to.companyId,
    trip_id: tripId,
    user_id: to.userId,
    login_id: to.loginId,
    event_type: 'CREATE',
    event_at: now,
    body,
    status: 'pending',
    next_attempt_at: now,
    expires_at: now + MAX_AGE_MS,
    created_at: now,
    ...overrides,
  };
}
