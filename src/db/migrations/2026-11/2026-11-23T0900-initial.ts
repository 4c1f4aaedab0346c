/**
 * Initial schema: tenants, users, OAuth clients and keys, trips and bookings.
 * Written with the schema builder so one file serves SQLite and PostgreSQL.
 */
import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migration-context.js';

export function initial(context: MigrationContext) {
  const json = context.dialect === 'postgres' ? 'jsonb' : 'text';
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's types
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('companies')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
        .addColumn('login_id', 'text', (c) => c.notNull().unique())
        .addColumn('email', 'text')
        .addColumn('first_name', 'text')
        .addColumn('last_name', 'text')
        .addColumn('password_hash', 'text')
        .addColumn('roles', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('users_company_idx').on('users').column('company_id').execute();

      await db.schema
        .createTable('apps')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('client_id', 'text', (c) => c.notNull().unique())
        .addColumn('client_secret_hash', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('booking_source', 'text')
        .addColumn('travel_types', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('postback_url', 'text')
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('app_companies')
        .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
        .addColumn('company_id', 'text', (c) =>
          c.notNull().references('companies.id').onDelete('cascade'),
        )
        .addPrimaryKeyConstraint('app_companies_pk', ['app_id', 'company_id'])
        .execute();

      await db.schema
        .createTable('signing_keys')
        .addColumn('kid', 'text', (c) => c.primaryKey())
        .addColumn('private_jwk', 'text', (c) => c.notNull())
        .addColumn('public_jwk', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('refresh_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('family_id', 'text', (c) => c.notNull())
        .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
        .addColumn('company_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text')
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('used_at', 'bigint')
        .addColumn('revoked_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('refresh_tokens_family_idx')
        .on('refresh_tokens')
        .column('family_id')
        .execute();

      await db.schema
        .createTable('trips')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
        .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('status', 'integer', (c) => c.notNull())
        .addColumn('start_at', 'bigint')
        .addColumn('end_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('modified_at', 'bigint', (c) => c.notNull())
        .addColumn('booking_types', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('triplink_locator', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('document', json as 'text', (c) => c.notNull())
        // The Itinerary XML as last written, without its host-dependent id: reads send it as is.
        .addColumn('rendering', 'text')
        .execute();
      // The list filters by company (and usually owner), an overlap window and status. Covering
      // indexes let SQLite and PostgreSQL test the window and status without reading rows.
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

      await db.schema
        .createTable('bookings')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('trip_id', 'text', (c) => c.notNull().references('trips.id').onDelete('cascade'))
        .addColumn('company_id', 'text', (c) => c.notNull())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('record_locator', 'text', (c) => c.notNull())
        .addColumn('app_id', 'text')
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('start_at', 'bigint')
        .addColumn('end_at', 'bigint')
        .addColumn('segment_types', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('modified_at', 'bigint', (c) => c.notNull())
        .addColumn('document', json as 'text', (c) => c.notNull())
        // A trip holds a booking identity once; across trips it may repeat (trips never merge).
        // Its index also finds a trip's bookings (few per trip, sorted by position in memory).
        .addUniqueConstraint('bookings_trip_identity_uq', ['trip_id', 'source', 'record_locator'])
        .execute();
    },

    // biome-ignore lint/suspicious/noExplicitAny: see up()
    async down(db: Kysely<any>): Promise<void> {
      for (const table of [
        'bookings',
        'trips',
        'refresh_tokens',
        'signing_keys',
        'app_companies',
        'apps',
        'users',
        'companies',
      ]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}
