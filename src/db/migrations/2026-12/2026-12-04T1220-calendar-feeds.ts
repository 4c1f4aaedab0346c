/**
 * `calendar_feeds`: each traveller's secret calendar feed (docs/CALENDAR.md). One row per user
 * holding the random salt the feed token is made from (HMAC with a server secret, so the row
 * alone does not give the token) and the SHA-256 digest of that token, by which a feed request
 * is looked up. Rotation replaces both in one statement; the old token then finds nothing.
 */
import type { Kysely } from 'kysely';

export function calendarFeeds() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's types
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('calendar_feeds')
        .addColumn('user_id', 'text', (c) =>
          c.primaryKey().references('users.id').onDelete('cascade'),
        )
        .addColumn('salt', 'text', (c) => c.notNull())
        .addColumn('token_digest', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('rotated_at', 'bigint', (c) => c.notNull())
        .execute();
    },

    // biome-ignore lint/suspicious/noExplicitAny: see up()
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('calendar_feeds').ifExists().execute();
    },
  };
}
