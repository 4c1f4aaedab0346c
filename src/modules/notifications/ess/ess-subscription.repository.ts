/**
 * ESS v4 subscriptions (`event_subscriptions`, `event_subscription_companies`): saved by their
 * owner app, listed by it, and looked up by company on every trip write.
 */
import type { Selectable } from 'kysely';
import { selectCompiled } from '../../../db/compiled-once.js';
import type { Executor } from '../../../db/database.js';
import type { EventSubscriptionsTable } from '../../../db/tables/event-tables.js';

export type EventSubscriptionRow = Selectable<EventSubscriptionsTable>;

/** A subscription with the companies it covers. */
export interface EventSubscriptionRecord extends EventSubscriptionRow {
  companyIds: string[];
}

/** The subscription called `id`, whoever owns it. */
export function findSubscriptionRow(
  db: Executor,
  id: string,
): Promise<EventSubscriptionRow | undefined> {
  return db.selectFrom('event_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
}

async function withCompanies(
  db: Executor,
  rows: EventSubscriptionRow[],
): Promise<EventSubscriptionRecord[]> {
  if (rows.length === 0) return [];
  const links = await db
    .selectFrom('event_subscription_companies')
    .select(['subscription_id', 'company_id'])
    .where(
      'subscription_id',
      'in',
      rows.map((row) => row.id),
    )
    .orderBy('company_id')
    .execute();
  return rows.map((row) => ({
    ...row,
    companyIds: links.filter((l) => l.subscription_id === row.id).map((l) => l.company_id),
  }));
}

/** An app's subscriptions, by id. */
export async function listSubscriptionsOfApp(
  db: Executor,
  appId: string,
): Promise<EventSubscriptionRecord[]> {
  const rows = await db
    .selectFrom('event_subscriptions')
    .selectAll()
    .where('app_id', '=', appId)
    .orderBy('id')
    .execute();
  return withCompanies(db, rows);
}

/** One subscription of an app, or undefined. */
export async function findSubscriptionOfApp(
  db: Executor,
  id: string,
  appId: string,
): Promise<EventSubscriptionRecord | undefined> {
  const row = await db
    .selectFrom('event_subscriptions')
    .selectAll()
    .where('id', '=', id)
    .where('app_id', '=', appId)
    .executeTakeFirst();
  return row ? (await withCompanies(db, [row]))[0] : undefined;
}

/**
 * Inserts or replaces a subscription and the companies it covers. Returns false, changing
 * nothing, when the id belongs to another app (checked in the same statement as the write, so
 * that two apps racing for one id cannot both win).
 */
export async function saveSubscription(
  db: Executor,
  row: EventSubscriptionRow,
  companyIds: readonly string[],
): Promise<boolean> {
  const saved = await db
    .insertInto('event_subscriptions')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('id')
        .doUpdateSet({
          topic: row.topic,
          filter: row.filter,
          event_types: row.event_types,
          endpoint: row.endpoint,
          updated_at: row.updated_at,
        })
        .where('event_subscriptions.app_id', '=', row.app_id),
    )
    .returning('id')
    .executeTakeFirst();
  if (!saved) return false;
  await db
    .deleteFrom('event_subscription_companies')
    .where('subscription_id', '=', row.id)
    .execute();
  if (companyIds.length > 0) {
    await db
      .insertInto('event_subscription_companies')
      .values(companyIds.map((company_id) => ({ company_id, subscription_id: row.id })))
      .execute();
  }
  return true;
}

/** Deletes an app's subscription (its pending events and attempt log go with it). */
export async function deleteSubscription(
  db: Executor,
  id: string,
  appId: string,
): Promise<boolean> {
  await db
    .deleteFrom('notifications')
    .where('channel', '=', 'ess')
    .where('subscription_id', '=', id)
    .where('app_id', '=', appId)
    .execute();
  const result = await db
    .deleteFrom('event_subscriptions')
    .where('id', '=', id)
    .where('app_id', '=', appId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** What the write path needs of a subscriber: the subscription, its app's read-rule facts. */
export interface CompanySubscriber {
  subscriptionId: string;
  eventTypes: string[];
  app: {
    id: string;
    kind: 'tmc' | 'supplier' | 'partner';
    bookingSource: string | null;
    agencyId: string | null;
  };
}

/**
 * The subscriptions of a topic that cover a company, with their apps, on the change's own
 * transaction. Apps disabled or no longer connected to the company hear nothing.
 */
export async function subscribersOfCompany(
  db: Executor,
  companyId: string,
  topic: string,
): Promise<CompanySubscriber[]> {
  // On every trip write, inside its lock: compiled once (db/compiled-once.ts).
  const rows = await selectCompiled<{
    subscription_id: string;
    event_types: string;
    app_id: string;
    kind: CompanySubscriber['app']['kind'];
    booking_source: string | null;
    agency_id: string | null;
  }>(
    db,
    'ess-subscribers-of-company',
    (db, [company, topicName, active]) =>
      db
        .selectFrom('event_subscription_companies as sc')
        .innerJoin('event_subscriptions as s', 's.id', 'sc.subscription_id')
        .innerJoin('apps as a', 'a.id', 's.app_id')
        .innerJoin('app_companies as ac', (join) =>
          join.onRef('ac.app_id', '=', 'a.id').onRef('ac.company_id', '=', 'sc.company_id'),
        )
        .select([
          's.id as subscription_id',
          's.event_types',
          'a.id as app_id',
          'a.kind',
          'a.booking_source',
          'a.agency_id',
        ])
        .where('sc.company_id', '=', company as string)
        .where('s.topic', '=', topicName as string)
        .where('a.active', '=', active as unknown as number)
        .orderBy('s.id'),
    [companyId, topic, 1],
  );
  return rows.map((row) => ({
    subscriptionId: row.subscription_id,
    eventTypes: JSON.parse(row.event_types) as string[],
    app: {
      id: row.app_id,
      kind: row.kind,
      bookingSource: row.booking_source,
      agencyId: row.agency_id,
    },
  }));
}

/** The endpoints of subscriptions, by id (read at send time: a fixed endpoint takes effect). */
export async function endpointsOfSubscriptions(
  db: Executor,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('event_subscriptions')
    .select(['id', 'endpoint'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((row) => [row.id, row.endpoint]));
}
