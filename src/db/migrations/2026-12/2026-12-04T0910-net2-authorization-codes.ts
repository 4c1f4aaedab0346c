/**
 * Which sign-in page issued an authorization code: `oauth2` (`/oauth2/v0/authorize`, exchanged
 * at `/oauth2/v0/token` with its redirect URI and PKCE verifier) or `net2` (Concur's pre-2017
 * `/net2/oauth2/Login.aspx`, whose request token `GetAccessToken.ashx` exchanges with the app's
 * key and secret only). Each exchange accepts only its own codes, so that a v0 code bound to a
 * PKCE challenge or a redirect URI cannot be redeemed where neither is checked.
 */
import type { Kysely } from 'kysely';

export function net2AuthorizationCodes() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's types
    async up(db: Kysely<any>): Promise<void> {
      // Codes issued before this migration all came from the v0 page.
      await db.schema
        .alterTable('authorization_codes')
        .addColumn('flow', 'text', (c) => c.notNull().defaultTo('oauth2'))
        .execute();
    },
    // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's types
    async down(db: Kysely<any>): Promise<void> {
      // A net2 code would become exchangeable at the v0 token endpoint: drop those first.
      await db.deleteFrom('authorization_codes').where('flow', '=', 'net2').execute();
      await db.schema.alterTable('authorization_codes').dropColumn('flow').execute();
    },
  };
}
