/**
 * Change notifications (issue 5): which apps subscribed for which company, and the outbox of
 * notifications written in the same transaction as the change they report, which the delivery
 * worker claims, sends and retries (src/modules/notifications/).
 */
import type { Kysely } from 'kysely';

export function notifications() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's types
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('notification_subscriptions')
        .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
        .addColumn('company_id', 'text', (c) =>
          c.notNull().references('companies.id').onDelete('cascade'),
        )
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('notification_subscriptions_pk', ['app_id', 'company_id', 'type'])
        .execute();
      // Subscribers of a company are looked up on every trip change.
      await db.schema
        .createIndex('notification_subscriptions_company_idx')
        .on('notification_subscriptions')
        .columns(['company_id', 'type'])
        .execute();

      // No foreign key to trips: a notification outlives a deleted trip and must still go out.
      await db.schema
        .createTable('notifications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
        .addColumn('company_id', 'text', (c) => c.notNull())
        .addColumn('trip_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('login_id', 'text', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('event_at', 'bigint', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('claimed_by', 'text')
        .addColumn('claimed_until', 'bigint')
        .addColumn('last_attempt_at', 'bigint')
        .addColumn('last_status', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('delivered_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      // The worker's claim: due rows in order.
      await db.schema
        .createIndex('notifications_due_idx')
        .on('notifications')
        .columns(['status', 'next_attempt_at'])
        .execute();
      // An admin's list of an app's recent deliveries.
      await db.schema
        .createIndex('notifications_app_idx')
        .on('notifications')
        .columns(['app_id', 'company_id', 'created_at'])
        .execute();
    },
    // biome-ignore lint/suspicious/noExplicitAny: see up()
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('notifications').ifExists().execute();
      await db.schema.dropTable('notification_subscriptions').ifExists().execute();
    },
  };
}
