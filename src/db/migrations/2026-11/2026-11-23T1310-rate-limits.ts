/**
 * Request counters of the itinerary rate limits: one row per (app, company, window), shared by
 * every process and instance on the database (src/modules/rate-limits/).
 */
import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migration-context.js';

export function rateLimits(_context: MigrationContext) {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's types
    async up(db: Kysely<any>): Promise<void> {
      // No foreign keys: the rows are short-lived tallies, and checking apps and companies on
      // every flush would buy nothing. Expired rows are deleted about once a minute, so the
      // table stays at a few rows per active (app, company) and needs no index on expires_at.
      await db.schema
        .createTable('rate_limit_counters')
        .addColumn('app_id', 'text', (c) => c.notNull())
        .addColumn('company_id', 'text', (c) => c.notNull())
        .addColumn('window_seconds', 'integer', (c) => c.notNull())
        .addColumn('window_start', 'bigint', (c) => c.notNull())
        .addColumn('count', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('rate_limit_counters_pk', [
          'app_id',
          'company_id',
          'window_seconds',
          'window_start',
        ])
        .execute();
    },

    // biome-ignore lint/suspicious/noExplicitAny: see up()
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('rate_limit_counters').ifExists().execute();
    },
  };
}
