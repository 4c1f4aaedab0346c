/**
 * ESS v4 (issue 13, item 2): webhook subscriptions to the itinerary event topic, the log of
 * every delivery attempt, and two columns that let the notification outbox carry events
 * beside Concur's v1.1 notifications, so that both share one outbox, one claim and one worker
 * (docs/EVENTS.md).
 */
import type { Kysely } from 'kysely';

export function eventSubscriptions() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's types
    async up(db: Kysely<any>): Promise<void> {
      // Subscription ids are chosen by the subscriber and globally unique (ESS).
      await db.schema
        .createTable('event_subscriptions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
        .addColumn('topic', 'text', (c) => c.notNull())
        .addColumn('filter', 'text', (c) => c.notNull())
        // The topic's event types the filter matched when it was saved, as JSON: the write path
        // never runs a subscriber's regular expression.
        .addColumn('event_types', 'text', (c) => c.notNull())
        .addColumn('endpoint', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('event_subscriptions_app_idx')
        .on('event_subscriptions')
        .column('app_id')
        .execute();
      // The companies whose events a subscription receives; looked up by company on every write.
      await db.schema
        .createTable('event_subscription_companies')
        .addColumn('company_id', 'text', (c) =>
          c.notNull().references('companies.id').onDelete('cascade'),
        )
        .addColumn('subscription_id', 'text', (c) =>
          c.notNull().references('event_subscriptions.id').onDelete('cascade'),
        )
        .addPrimaryKeyConstraint('event_subscription_companies_pk', [
          'company_id',
          'subscription_id',
        ])
        .execute();

      // Outbox rows of the ESS channel: which subscription, and the event id that stays the same
      // on every attempt (and for every subscriber of one change).
      await db.schema
        .alterTable('notifications')
        .addColumn('channel', 'text', (c) => c.notNull().defaultTo('v1'))
        .execute();
      await db.schema.alterTable('notifications').addColumn('subscription_id', 'text').execute();
      await db.schema.alterTable('notifications').addColumn('event_id', 'text').execute();

      // No foreign key to the outbox: the log of an event outlives its delivered row's pruning
      // and is deleted with its subscription or after 30 days.
      await db.schema
        .createTable('event_delivery_attempts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subscription_id', 'text', (c) =>
          c.notNull().references('event_subscriptions.id').onDelete('cascade'),
        )
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('attempted_at', 'bigint', (c) => c.notNull())
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .addColumn('status', 'integer')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('error_class', 'text')
        .execute();
      // A subscriber's list (newest first) and the 30-day purge.
      await db.schema
        .createIndex('event_delivery_attempts_subscription_idx')
        .on('event_delivery_attempts')
        .columns(['subscription_id', 'attempted_at'])
        .execute();
      await db.schema
        .createIndex('event_delivery_attempts_attempted_at_idx')
        .on('event_delivery_attempts')
        .column('attempted_at')
        .execute();
    },

    // biome-ignore lint/suspicious/noExplicitAny: see up()
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('event_delivery_attempts').ifExists().execute();
      await db.deleteFrom('notifications').where('channel', '=', 'ess').execute();
      await db.schema.alterTable('notifications').dropColumn('event_id').execute();
      await db.schema.alterTable('notifications').dropColumn('subscription_id').execute();
      await db.schema.alterTable('notifications').dropColumn('channel').execute();
      await db.schema.dropTable('event_subscription_companies').ifExists().execute();
      await db.schema.dropTable('event_subscriptions').ifExists().execute();
    },
  };
}
