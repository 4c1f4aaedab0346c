/**
 * The merge engine: a trip remembers whether it was posted as a trip (never merged with
 * another) or made from bookings, and a traveller's bookings are found by identity
 * (BookingSource + RecordLocator) across trips.
 */
import type { Kysely } from 'kysely';

export function bookingMerge() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's types
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .alterTable('trips')
        .addColumn('origin', 'text', (c) => c.notNull().defaultTo('trip'))
        .execute();
      await db.schema
        .createIndex('bookings_owner_identity_idx')
        .on('bookings')
        .columns(['owner_id', 'source', 'record_locator'])
        .execute();
    },
    // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's types
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropIndex('bookings_owner_identity_idx').execute();
      await db.schema.alterTable('trips').dropColumn('origin').execute();
    },
  };
}
