/**
 * Safe retries and no lost updates (issue 13, items 6 and 7): `trips.version`, from which trip
 * ETags are made (every write adds one, so two states of a trip never share an ETag, even when
 * written within one millisecond), and `idempotency_keys`, where the first request with an
 * `Idempotency-Key` claims it and leaves the answer that retries replay.
 */
import type { Kysely } from 'kysely';

export function retries() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's types
    async up(db: Kysely<any>): Promise<void> {
      // Existing trips start at 1, as new ones do.
      await db.schema
        .alterTable('trips')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      // The primary key is the coordinator between processes and instances: of two requests
      // with one key, exactly one insert succeeds.
      await db.schema
        .createTable('idempotency_keys')
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('idem_key', 'text', (c) => c.notNull())
        .addColumn('request_digest', 'text', (c) => c.notNull())
        .addColumn('claim_token', 'text')
        .addColumn('claimed_until', 'bigint', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('status', 'integer')
        .addColumn('headers', 'text')
        .addColumn('body', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'idem_key'])
        .execute();
      // The purge of expired keys walks this index.
      await db.schema
        .createIndex('idempotency_keys_expires_at')
        .on('idempotency_keys')
        .column('expires_at')
        .execute();
    },

    // biome-ignore lint/suspicious/noExplicitAny: see up()
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('idempotency_keys').ifExists().execute();
      await db.schema.alterTable('trips').dropColumn('version').execute();
    },
  };
}
