/**
 * Failed sign-ins per user and per client, shared by every process and instance on the
 * database (src/modules/oauth/sign-in/): the throttle refuses at the same attempt however many
 * workers the attempts were spread over. Keys are keyed hashes, so the table holds no login id.
 */
import type { Kysely } from 'kysely';

export function signInFailures() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's types
    async up(db: Kysely<any>): Promise<void> {
      // One row per throttled key, found by its primary key before every password check.
      await db.schema
        .createTable('sign_in_failures')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('last_failure_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      // Unlike the rate-limit counters, rows come from whoever fails to sign in (made-up names
      // included), so a flood may leave many: the purge of expired rows walks this index.
      await db.schema
        .createIndex('sign_in_failures_expires_at')
        .on('sign_in_failures')
        .column('expires_at')
        .execute();
    },

    // biome-ignore lint/suspicious/noExplicitAny: see up()
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('sign_in_failures').ifExists().execute();
    },
  };
}
