/**
 * The `idempotency_keys` table: the only code that touches its rows. Every function takes the
 * executor (database or open transaction) first. The primary key (scope, key) is what makes
 * one request of many the claimer, in every process and instance sharing the database.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { RecordedAnswer } from '../../http/route-config.js';

/** An answer as it is sent and replayed. */
export type StoredReply = RecordedAnswer;

/** A key as stored. */
export interface KeyRecord {
  requestDigest: string;
  state: 'running' | 'done';
  claimedUntil: number;
  expiresAt: number;
  reply?: StoredReply;
}

/** Identifies a key: its owner's scope and the key itself. */
export interface KeyId {
  scope: string;
  key: string;
}

/** A claim as it is inserted. */
export interface NewClaim extends KeyId {
  requestDigest: string;
  token: string;
  claimedUntil: number;
  now: number;
  expiresAt: number;
}

/** Inserts the claim unless the key exists; true when this claim was inserted. */
export async function insertClaim(db: Executor, claim: NewClaim): Promise<boolean> {
  const result = await db
    .insertInto('idempotency_keys')
    .values({
      scope: claim.scope,
      idem_key: claim.key,
      request_digest: claim.requestDigest,
      claim_token: claim.token,
      claimed_until: claim.claimedUntil,
      state: 'running',
      status: null,
      headers: null,
      body: null,
      created_at: claim.now,
      expires_at: claim.expiresAt,
    })
    .onConflict((oc) => oc.columns(['scope', 'idem_key']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Reads a key. */
export async function findKey(db: Executor, id: KeyId): Promise<KeyRecord | undefined> {
  const row = await db
    .selectFrom('idempotency_keys')
    .select(['request_digest', 'state', 'claimed_until', 'expires_at', 'status', 'headers', 'body'])
    .where('scope', '=', id.scope)
    .where('idem_key', '=', id.key)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    requestDigest: row.request_digest,
    state: row.state,
    claimedUntil: Number(row.claimed_until),
    expiresAt: Number(row.expires_at),
    reply:
      row.state === 'done'
        ? {
            status: Number(row.status),
            headers: JSON.parse(row.headers ?? '{}') as Record<string, string>,
            body: row.body ?? '',
          }
        : undefined,
  };
}

/**
 * Takes over a running claim whose holder let its lease pass (it died, or is still at work:
 * then its completion will find the claim gone and roll its write back). True when taken.
 */
export async function takeOverClaim(
  db: Executor,
  id: KeyId,
  token: string,
  claimedUntil: number,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('idempotency_keys')
    .set({ claim_token: token, claimed_until: claimedUntil })
    .where('scope', '=', id.scope)
    .where('idem_key', '=', id.key)
    .where('state', '=', 'running')
    .where('claimed_until', '<', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Stores the answer of the claim holding `token` (in the write's transaction). False when the
 * claim is no longer this one's: the caller must then roll its write back.
 */
export async function completeClaim(
  db: Executor,
  id: KeyId,
  token: string,
  reply: StoredReply,
): Promise<boolean> {
  const result = await db
    .updateTable('idempotency_keys')
    .set({
      state: 'done',
      claim_token: null,
      status: reply.status,
      headers: JSON.stringify(reply.headers),
      body: reply.body,
    })
    .where('scope', '=', id.scope)
    .where('idem_key', '=', id.key)
    .where('claim_token', '=', token)
    .where('state', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Deletes a running claim (its request wrote nothing), if `token` still holds it. */
export async function deleteClaim(db: Executor, id: KeyId, token: string): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('scope', '=', id.scope)
    .where('idem_key', '=', id.key)
    .where('claim_token', '=', token)
    .where('state', '=', 'running')
    .execute();
}

/** Deletes an expired key (so that it may be claimed again), if it is still expired. */
export async function deleteExpiredKey(db: Executor, id: KeyId, now: number): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('scope', '=', id.scope)
    .where('idem_key', '=', id.key)
    .where('expires_at', '<', now)
    .execute();
}

/**
 * Deletes at most `limit` expired keys (the oldest first, found through the `expires_at`
 * index), so that one purge stays short whatever the backlog. Returns how many went.
 */
export async function purgeExpiredKeys(db: Executor, now: number, limit: number): Promise<number> {
  const result = await sql`delete from idempotency_keys
    where (scope, idem_key) in (
      select scope, idem_key from idempotency_keys
      where expires_at < ${now} order by expires_at limit ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/** `text` as a LIKE pattern matching itself (`\` is the escape character). */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Deletes the stored answers that name one of these trips (a trip deleted or anonymized: a
 * replayed answer would give its personal data back). Trip ids are long random strings, so an
 * answer holding one is an answer about that trip. The retry of such a write then runs anew
 * and is refused (the trip is gone) or writes as a new request would.
 */
export async function forgetAnswersOfTrips(
  db: Executor,
  tripIds: readonly string[],
): Promise<void> {
  for (const tripId of tripIds) {
    const pattern = `%${likeLiteral(tripId)}%`;
    await db
      .deleteFrom('idempotency_keys')
      .where(sql<boolean>`body like ${pattern} escape '\\'`)
      .execute();
  }
}
