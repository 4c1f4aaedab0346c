/**
 * Authorization codes of the `authorization_code` grant, stored as SHA-256 digests. A code is
 * used once: marking it used is one conditional UPDATE, so of two concurrent exchanges
 * exactly one wins on either dialect.
 */
import type {
  AuthorizationCodeFlow,
  AuthorizationCodeRow,
  Executor,
} from '../../../db/database.js';

export interface NewAuthorizationCode {
  id: string;
  codeHash: string;
  appId: string;
  userId: string;
  companyId: string;
  redirectUri: string;
  scope: string;
  codeChallenge: string | null;
  codeChallengeMethod: 'S256' | 'plain' | null;
  flow: AuthorizationCodeFlow;
  expiresAt: number;
  createdAt: number;
}

/** Stores a new code digest. */
export async function insertAuthorizationCode(
  db: Executor,
  code: NewAuthorizationCode,
): Promise<void> {
  await db
    .insertInto('authorization_codes')
    .values({
      id: code.id,
      code_hash: code.codeHash,
      app_id: code.appId,
      user_id: code.userId,
      company_id: code.companyId,
      redirect_uri: code.redirectUri,
      scope: code.scope,
      code_challenge: code.codeChallenge,
      code_challenge_method: code.codeChallengeMethod,
      flow: code.flow,
      expires_at: code.expiresAt,
      created_at: code.createdAt,
    })
    .execute();
}

/** Finds a code by digest. */
export function findAuthorizationCode(
  db: Executor,
  codeHash: string,
): Promise<AuthorizationCodeRow | undefined> {
  return db
    .selectFrom('authorization_codes')
    .selectAll()
    .where('code_hash', '=', codeHash)
    .executeTakeFirst();
}

/** Marks a code used, only if it still was unused; returns whether this call won. */
export async function markAuthorizationCodeUsed(
  db: Executor,
  id: string,
  at: number,
): Promise<boolean> {
  const result = await db
    .updateTable('authorization_codes')
    .set({ used_at: at })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Deletes codes that expired before `before`; returns how many. */
export async function deleteExpiredAuthorizationCodes(
  db: Executor,
  before: number,
): Promise<number> {
  const result = await db
    .deleteFrom('authorization_codes')
    .where('expires_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
