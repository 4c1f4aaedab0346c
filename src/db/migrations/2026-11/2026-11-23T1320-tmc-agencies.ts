/**
 * TMC agencies (TMCOVR "Travel Access Control Service"): an app may carry the agency it acts
 * for, and a trip remembers the agency whose app created it, so that another agency's TMC app
 * does not see it.
 */
import type { Kysely } from 'kysely';

export function tmcAgencies() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's types
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('apps').addColumn('agency_id', 'text').execute();
      await db.schema.alterTable('trips').addColumn('agency_id', 'text').execute();
    },
    // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's types
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('trips').dropColumn('agency_id').execute();
      await db.schema.alterTable('apps').dropColumn('agency_id').execute();
    },
  };
}
