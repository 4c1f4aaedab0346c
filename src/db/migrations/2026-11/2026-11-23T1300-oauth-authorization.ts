/**
 * OAuth authorization: registered redirect URIs per app, authorization codes (the
 * `authorization_code` grant), company auth tokens (`credtype=authtoken`) and the server
 * secrets every process shares (the sign-in form's HMAC key).
 */
import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migration-context.js';

export function oauthAuthorization(_context: MigrationContext) {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's types
    async up(db: Kysely<any>): Promise<void> {
      // JSON array of absolute URLs, compared exactly (RFC 6749 §3.1.2).
      await db.schema
        .alterTable('apps')
        .addColumn('redirect_uris', 'text', (c) => c.notNull().defaultTo('[]'))
        .execute();

      await db.schema
        .createTable('authorization_codes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        // SHA-256 of the code: a copy of the database cannot be replayed.
        .addColumn('code_hash', 'text', (c) => c.notNull().unique())
        .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('company_id', 'text', (c) => c.notNull())
        .addColumn('redirect_uri', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('code_challenge', 'text')
        .addColumn('code_challenge_method', 'text')
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('used_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('authorization_codes_expiry_idx')
        .on('authorization_codes')
        .column('expires_at')
        .execute();

      await db.schema
        .createTable('auth_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
        .addColumn('company_id', 'text', (c) =>
          c.notNull().references('companies.id').onDelete('cascade'),
        )
        .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('auth_tokens_expiry_idx')
        .on('auth_tokens')
        .column('expires_at')
        .execute();

      await db.schema
        .createTable('server_secrets')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
    },

    // biome-ignore lint/suspicious/noExplicitAny: see up()
    async down(db: Kysely<any>): Promise<void> {
      for (const table of ['server_secrets', 'auth_tokens', 'authorization_codes']) {
        await db.schema.dropTable(table).ifExists().execute();
      }
      await db.schema.alterTable('apps').dropColumn('redirect_uris').execute();
    },
  };
}
