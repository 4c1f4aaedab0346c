/**
 * The trip change feed (`GET /travel/v4/trip-changes`, docs/CHANGE-FEED.md): an append-only
 * log of trip changes written in each change's own transaction, and its two marks.
 *
 * A change row is inserted with `seq` null by its writer; once committed, a feed read numbers it
 * (src/modules/itineraries/feed/trip-feed.repository.ts `numberTripChanges`): every row numbered
 * together gets the same `seq`, taken from the `last` mark with `update … set seq = seq + 1`,
 * whose row lock is held to that commit, so that numbers become visible in order on PostgreSQL
 * too (a sequence would hand out numbers that commit out of order). `id` orders the rows of one
 * numbering. The `purged` mark is the last (seq, id) deleted by the retention purge.
 */
import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from '../migration-context.js';

export function tripChangeFeed(context: MigrationContext) {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's types
    async up(db: Kysely<any>): Promise<void> {
      // No foreign keys: a `deleted` change outlives its trip (a tombstone), and the company
      // and agency are copied so that visibility needs no join.
      await db.schema
        .createTable('trip_changes')
        .addColumn('id', context.dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
          c.primaryKey(),
        )
        .addColumn('seq', 'bigint')
        .addColumn('trip_id', 'text', (c) => c.notNull())
        .addColumn('company_id', 'text', (c) => c.notNull())
        .addColumn('agency_id', 'text')
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .execute();
      // The feed of a company, in order, from a cursor.
      await db.schema
        .createIndex('trip_changes_company_seq_idx')
        .on('trip_changes')
        .columns(['company_id', 'seq', 'id'])
        .execute();
      // The sealing of a transaction's rows (`seq is null`) and the purge (oldest first).
      await db.schema
        .createIndex('trip_changes_seq_idx')
        .on('trip_changes')
        .columns(['seq', 'id'])
        .execute();
      await db.schema
        .createTable('trip_change_marks')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('id', 'bigint', (c) => c.notNull())
        .execute();
      await sql`insert into trip_change_marks (name, seq, id) values ('last', 0, 0), ('purged', 0, 0)`.execute(
        db,
      );
    },

    // biome-ignore lint/suspicious/noExplicitAny: see up()
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('trip_change_marks').ifExists().execute();
      await db.schema.dropTable('trip_changes').ifExists().execute();
    },
  };
}
