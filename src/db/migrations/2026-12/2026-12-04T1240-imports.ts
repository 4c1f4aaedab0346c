/**
 * `itinera import` (docs/IMPORT.md): the progress of each import, written in the transaction
 * of each batch so that a killed import resumes where its last commit ended, and the documents
 * it rejected (its report is written from them, so a resumed import reports every rejection
 * once).
 */
import type { Kysely } from 'kysely';

export function imports() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's types
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('imports')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('form', 'text', (c) => c.notNull())
        .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
        .addColumn('position', 'bigint', (c) => c.notNull())
        .addColumn('byte_offset', 'bigint', (c) => c.notNull())
        .addColumn('imported', 'bigint', (c) => c.notNull())
        .addColumn('merged', 'bigint', (c) => c.notNull())
        .addColumn('rejected', 'bigint', (c) => c.notNull())
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('finished_at', 'bigint')
        .execute();
      await db.schema
        .createTable('import_rejections')
        .addColumn('import_id', 'text', (c) => c.notNull().references('imports.id'))
        .addColumn('position', 'bigint', (c) => c.notNull())
        .addColumn('location', 'text', (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('import_rejections_pk', ['import_id', 'position'])
        .execute();
    },

    // biome-ignore lint/suspicious/noExplicitAny: see up()
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('import_rejections').ifExists().execute();
      await db.schema.dropTable('imports').ifExists().execute();
    },
  };
}
