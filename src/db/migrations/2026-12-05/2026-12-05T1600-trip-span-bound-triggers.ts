/**
 * `companies.trip_span_bound` (migration 2026-11-23T1510: never shorter than any of the
 * company's trips, so that window queries know where to stop) is kept by triggers on `trips`
 * from now on, in the writer's own transaction, instead of by an UPDATE the application sent
 * after each trip write. The bound stays exactly as it was; what changes is who keeps it:
 * - every path that writes trips is covered (the API, the merge engine, `itinera import`, a
 *   later migration), as for the trip day counts (2026-12-05T1200), and a trip write saves a
 *   statement: on PostgreSQL a round trip under the traveller's lock, on SQLite a statement
 *   prepared, bound and stepped from JavaScript;
 * - the trigger reads the row as written, so an update that keeps the dates (a cancel) widens
 *   nothing, and one that moves them is measured on the stored dates, not on what it was sent.
 * The UPDATE matches no row unless the trip is the longest of its company yet, so it usually
 * writes nothing and, on PostgreSQL, locks nothing.
 */
import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from '../migration-context.js';

/** The trips that can widen the bound: dated, and ending after they start. */
const SPANNED = 'new.start_at is not null and new.end_at > new.start_at';

/** Widens the trip's company's bound to the trip's span, when it is the longest yet. */
const WIDEN = `update companies set trip_span_bound = new.end_at - new.start_at
  where id = new.company_id and trip_span_bound < new.end_at - new.start_at`;

/** The columns whose change can widen the bound (a trip's company never changes, but…). */
const SPAN_COLUMNS = 'start_at, end_at, company_id';

export function tripSpanBoundTriggers(context: MigrationContext) {
  const sqlite = context.dialect === 'sqlite';
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's types
    async up(db: Kysely<any>): Promise<void> {
      if (sqlite) {
        await sql
          .raw(`create trigger trips_span_bound_insert after insert on trips
            when ${SPANNED} begin ${WIDEN}; end`)
          .execute(db);
        await sql
          .raw(`create trigger trips_span_bound_update after update of ${SPAN_COLUMNS} on trips
            when ${SPANNED} begin ${WIDEN}; end`)
          .execute(db);
        return;
      }
      await sql
        .raw(`create function trips_widen_span_bound() returns trigger language plpgsql as $$
          begin ${WIDEN}; return null; end $$`)
        .execute(db);
      await sql
        .raw(`create trigger trips_span_bound after insert or update of ${SPAN_COLUMNS} on trips
          for each row when (${SPANNED}) execute function trips_widen_span_bound()`)
        .execute(db);
    },
    // biome-ignore lint/suspicious/noExplicitAny: see up()
    async down(db: Kysely<any>): Promise<void> {
      if (sqlite) {
        await sql.raw('drop trigger if exists trips_span_bound_insert').execute(db);
        await sql.raw('drop trigger if exists trips_span_bound_update').execute(db);
        return;
      }
      await sql.raw('drop trigger if exists trips_span_bound on trips').execute(db);
      await sql.raw('drop function if exists trips_widen_span_bound()').execute(db);
    },
  };
}
