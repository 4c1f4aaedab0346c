/**
 * A version of the `users` table on SQLite, kept by triggers: every insert, update or delete of a
 * user adds one to `data_versions.version` of the row named `users`, in the writer's own
 * transaction. The trip list keeps whole pages until the data they were read from changes
 * (modules/itineraries/store/trip-list-version.repository.ts), and a page shows its travellers'
 * names and login ids: a renamed or anonymized user must end the pages that show them, whatever
 * code path (or process: `itinera import`, `itinera user`) wrote the row.
 *
 * PostgreSQL needs none: there the list's version is the transaction snapshot, which any commit
 * changes.
 */
import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from '../migration-context.js';

const EVENTS = ['insert', 'update', 'delete'] as const;

export function usersVersion(context: MigrationContext) {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's types
    async up(db: Kysely<any>): Promise<void> {
      if (context.dialect !== 'sqlite') return;
      await db.schema
        .createTable('data_versions')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.insertInto('data_versions').values({ name: 'users', version: 0 }).execute();
      for (const event of EVENTS) {
        await sql`create trigger ${sql.id(`users_version_after_${event}`)} after ${sql.raw(event)} on users
          begin
            update data_versions set version = version + 1 where name = 'users';
          end`.execute(db);
      }
    },
    // biome-ignore lint/suspicious/noExplicitAny: see up()
    async down(db: Kysely<any>): Promise<void> {
      if (context.dialect !== 'sqlite') return;
      for (const event of EVENTS) {
        await sql`drop trigger if exists ${sql.id(`users_version_after_${event}`)}`.execute(db);
      }
      await db.schema.dropTable('data_versions').execute();
    },
  };
}
