/**
 * Refresh tokens, stored as SHA-256 digests. Each belongs to a family (one sign-in); using a
 * token rotates it, and re-using a rotated token revokes its whole family.
 */
import type { Executor } from '../../../db/database.js';

export interface NewRefreshToken {
  id: string;
  tokenHash: string;
  familyId: string;
  appId: string;
  companyId: string;
  userId: string | null;
  scope: string;
  expiresAt: number;
  createdAt: number;
}

/** Stores a refresh token digest. */
export async function insertRefreshToken(db: Executor, token: NewRefreshToken): Promise<void> {
  await db
    .insertInto('refresh_tokens')
    .values({
      id: token.id,
      token_hash: token.tokenHash,
      family_id: token.familyId,
      app_id: token.appId,
      company_id: token.companyId,
      user_id: token.userId,
      scope: token.scope,
      expires_at: token.expiresAt,
      created_at: token.createdAt,
    })
    .execute();
}

/** Finds a refresh token by digest. */
export function findRefreshToken(db: Executor, tokenHash: string) {
  return db
    .selectFrom('refresh_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Marks a token used, only if it was still unused; returns whether this call won. */
export async function markRefreshTokenUsed(db: Executor, id: string, at: number): Promise<boolean> {
  const result = await db
    .updateTable('refresh_tokens')
    .set({ used_at: at })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Revokes every token of a family (reuse of a rotated token means it leaked). */
export async function revokeRefreshFamily(
  db: Executor,
  familyId: string,
  at: number,
): Promise<void> {
  await db
    .updateTable('refresh_tokens')
    .set({ revoked_at: at })
    .where('family_id', '=', familyId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Revokes every live refresh token a user holds for an app; returns how many. */
export async function revokeUserAppTokens(
  db: Executor,
  userId: string,
  appId: string,
  at: number,
): Promise<number> {
  const result = await db
    .updateTable('refresh_tokens')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('app_id', '=', appId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** True while a sign-in (family) has a refresh token that is not revoked. */
export async function isSessionLive(db: Executor, familyId: string): Promise<boolean> {
  const row = await db
    .selectFrom('refresh_tokens')
    .select('id')
    .where('family_id', '=', familyId)
    .where('revoked_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Moves a refresh token's expiry (the pre-2017 refresh: a year from the refresh date). */
export async function extendRefreshToken(
  db: Executor,
  id: string,
  expiresAt: number,
): Promise<void> {
  await db
    .updateTable('refresh_tokens')
    .set({ expires_at: expiresAt })
    .where('id', '=', id)
    .execute();
}
