/**
 * Guest bookings (docs/COMPATIBILITY.md, "Guest bookings"): a booking remembers the key of the
 * guests it was made for (null: the traveller's own), and a trip the key of its guests when
 * every one of its bookings is a guest booking (null otherwise). The trip list leaves guest
 * trips out unless `includeGuestBookings=true`, and the merge engine keeps them apart, so the
 * window indexes carry the key too: both queries stay on the index alone.
 *
 * Rows written before are the travellers' own (null): they were merged under the old rules, and
 * recomputing would need the name matching (application code a migration must not import) and
 * would hide trips clients listed until now. A trip's next write sets its key.
 */
import type { Kysely } from 'kysely';

export function guestBookings() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's types
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('bookings').addColumn('guest_key', 'text').execute();
      await db.schema.alterTable('trips').addColumn('guest_key', 'text').execute();
      await db.schema.dropIndex('trips_owner_start_idx').execute();
      await db.schema.dropIndex('trips_company_start_idx').execute();
      await db.schema
        .createIndex('trips_owner_start_idx')
        .on('trips')
        .columns(['company_id', 'owner_id', 'start_at', 'id', 'end_at', 'status', 'guest_key'])
        .execute();
      await db.schema
        .createIndex('trips_company_start_idx')
        .on('trips')
        .columns(['company_id', 'start_at', 'id', 'end_at', 'status', 'guest_key'])
        .execute();
    },
    // biome-ignore lint/suspicious/noExplicitAny: see up()
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropIndex('trips_company_start_idx').execute();
      await db.schema.dropIndex('trips_owner_start_idx').execute();
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
      await db.schema.alterTable('trips').dropColumn('guest_key').execute();
      await db.schema.alterTable('bookings').dropColumn('guest_key').execute();
    },
  };
}
