/**
 * Notification subscriptions in SQL: (app, company, type) rows, and the subscribers of a
 * company that every trip write looks up inside its transaction.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database, Executor } from '../../../db/database.js';
import { prepareStatement } from '../../../db/prepared-statements.js';
import type { SubscriberApp } from '../outbox/notification-audience.js';

/** The only notification type Itinera serves. */
export const ITINERARY_TYPE = 'itinerary';

/** Adds a subscription; one that exists already is left as it is. */
export async function insertSubscription(
  db: Executor,
  values: { appId: string; companyId: string; type: string; createdBy: string | null; now: number },
): Promise<void> {
  await db
    .insertInto('notification_subscriptions')
    .values({
      app_id: values.appId,
      company_id: values.companyId,
      type: values.type,
      created_by: values.createdBy,
      created_at: values.now,
    })
    .onConflict((oc) => oc.columns(['app_id', 'company_id', 'type']).doNothing())
    .execute();
}

/** Removes an app's subscriptions of `type` for the given companies. */
export async function deleteSubscriptions(
  db: Executor,
  appId: string,
  companyIds: readonly string[],
  type: string,
): Promise<void> {
  if (companyIds.length === 0) return;
  await db
    .deleteFrom('notification_subscriptions')
    .where('app_id', '=', appId)
    .where('company_id', 'in', [...companyIds])
    .where('type', '=', type)
    .execute();
}

/** Stands for the company id while the query is compiled. */
const COMPANY_MARKER = '\u0000company';

/**
 * The subscribers of a company: apps subscribed to itinerary notifications that are active,
 * still connected to the company and have a postback URL. Compiled once per database, since it
 * runs inside every trip write (one indexed look-up, which finds nothing for most companies).
 */
export class SubscriberQuery {
  private readonly compiled: CompiledQuery;

  constructor(db: Kysely<Database>) {
    this.compiled = db
      .selectFrom('notification_subscriptions as s')
      .innerJoin('apps as a', 'a.id', 's.app_id')
      .innerJoin('app_companies as c', (join) =>
        join.onRef('c.app_id', '=', 's.app_id').onRef('c.company_id', '=', 's.company_id'),
      )
      .select(['a.id', 'a.kind', 'a.booking_source', 'a.agency_id'])
      .where('s.company_id', '=', COMPANY_MARKER)
      .where('s.type', '=', ITINERARY_TYPE)
      .where('a.active', '=', 1)
      .where('a.postback_url', 'is not', null)
      .orderBy('a.id')
      .compile();
    // Run by every trip write: PostgreSQL keeps it prepared.
    prepareStatement(this.compiled.sql);
  }

  /** The company's subscribers, in app id order. */
  async find(db: Executor, companyId: string): Promise<SubscriberApp[]> {
    const parameters = this.compiled.parameters.map((p) => (p === COMPANY_MARKER ? companyId : p));
    const result = await db.executeQuery<{
      id: string;
      kind: SubscriberApp['kind'];
      booking_source: string | null;
      agency_id: string | null;
    }>(CompiledQuery.raw(this.compiled.sql, parameters));
    return result.rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      bookingSource: row.booking_source,
      agencyId: row.agency_id,
    }));
  }
}
