/**
 * What the token endpoint hands each grant: the request's fields and the services every grant
 * uses. Apart from the token service so that the grants and the service do not import each
 * other.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database.js';
import type { SignInService } from '../sign-in/sign-in.service.js';
import type { TokenIssuer } from '../tokens/token-issuer.js';

/** The fields of a token request (form-encoded, each sent once). */
export interface TokenRequest {
  grant_type?: string;
  client_id?: string;
  client_secret?: string;
  username?: string;
  password?: string;
  credtype?: string;
  refresh_token?: string;
  scope?: string;
  code?: string;
  redirect_uri?: string;
  code_verifier?: string;
}

/** What every grant needs: the database, sign-in checks and the token minting. */
export interface GrantContext {
  db: Kysely<Database>;
  signIn: SignInService;
  issuer: TokenIssuer;
}
