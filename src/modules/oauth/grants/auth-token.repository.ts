/**
 * Company auth tokens (`credtype=authtoken`, SPEC §2.10): short-lived request tokens an
 * administrator issues for one app and one company, stored as SHA-256 digests, each usable a
 * bounded number of times.
 */
import type { AuthTokenRow, Executor } from '../../../db/database.js';

export interface NewAuthToken {
  id: string;
  tokenHash: string;
  appId: string;
  companyId: string;
  expiresAt: number;
  createdAt: number;
}

/** Stores a new auth token digest. */
export async function insertAuthToken(db: Executor, token: NewAuthToken): Promise<void> {
  await db
    .insertInto('auth_tokens')
    .values({
      id: token.id,
      token_hash: token.tokenHash,
      app_id: token.appId,
      company_id: token.companyId,
      expires_at: token.expiresAt,
      created_at: token.createdAt,
    })
    .execute();
}

/** Finds an auth token by digest. */
export function findAuthToken(db: Executor, tokenHash: string): Promise<AuthTokenRow | undefined> {
  return db
    .selectFrom('auth_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/**
 * Counts one use of a token that is unexpired and used fewer than `maxUses` times, in one
 * conditional UPDATE (concurrent uses cannot exceed the bound); returns whether it counted.
 */
export async function consumeAuthTokenUse(
  db: Executor,
  id: string,
  maxUses: number,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('auth_tokens')
    .set((eb) => ({ uses: eb('uses', '+', 1) }))
    .where('id', '=', id)
    .where('uses', '<', maxUses)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Deletes tokens that expired before `before`; returns how many. */
export async function deleteExpiredAuthTokens(db: Executor, before: number): Promise<number> {
  const result = await db
    .deleteFrom('auth_tokens')
    .where('expires_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
