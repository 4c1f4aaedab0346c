/**
 * Window queries on trips (the list, the merge engine's overlap look-up) ask for trips with
 * `end_at >= from and start_at <= to`: two ranges, and a B-tree can walk only one. Walking
 * `end_at >= from` read every later trip of the traveller; with the longest trip of the
 * company known (`trip_span_bound`, never shorter than any of its trips), a trip overlapping
 * the window must also start after `from - bound`, so the walk covers the window and one
 * longest trip before it. The indexes lead with the start, then the id, which is also the
 * list's order: a page is read in order and the walk stops when it is full.
 */
import { type Kysely, sql } from 'kysely';

export function tripSpanBound() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's types
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .alterTable('companies')
        .addColumn('trip_span_bound', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await sql`update companies set trip_span_bound = coalesce((
          select max(end_at - start_at) from trips
          where trips.company_id = companies.id and end_at > start_at), 0)`.execute(db);
      await db.schema.dropIndex('trips_owner_window_idx').execute();
      await db.schema.dropIndex('trips_company_window_idx').execute();
      await db.schema
        .createIndex('trips_owner_start_idx')
        .on('trips')
        .columns(['company_id', 'owner_id', 'start_at', 'id', 'end_at', 'status'])
        .execute();
      await db.schema
        .createIndex('trips_company_start_idx')
        .on('trips')
        .columns(['company_id', 'start_at', 'id', 'end_at', 'status'])
        .execute();
    },
    // biome-ignore lint/suspicious/noExplicitAny: see up()
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropIndex('trips_company_start_idx').execute();
      await db.schema.dropIndex('trips_owner_start_idx').execute();
      await db.schema
        .createIndex('trips_owner_window_idx')
        .on('trips')
        .columns(['company_id', 'owner_id', 'end_at', 'start_at', 'status'])
        .execute();
      await db.schema
        .createIndex('trips_company_window_idx')
        .on('trips')
        .columns(['company_id', 'end_at', 'start_at', 'status'])
        .execute();
      await db.schema.alterTable('companies').dropColumn('trip_span_bound').execute();
    },
  };
}
