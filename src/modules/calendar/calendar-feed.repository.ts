/**
 * The `calendar_feeds` table (migration 2026-12-04T1220): a traveller's feed salt and the digest
 * of its token. Every function takes the executor (database or open transaction) first.
 */
import type { Executor } from '../../db/database.js';

/** A traveller's feed row as the service reads it. */
export interface FeedRow {
  userId: string;
  salt: string;
}

/** The feed of `userId`, if one was made. */
export async function findFeedOfUser(db: Executor, userId: string): Promise<FeedRow | undefined> {
  const row = await db
    .selectFrom('calendar_feeds')
    .select(['user_id', 'salt'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row && { userId: row.user_id, salt: row.salt };
}

/**
 * The active user whose feed token has this digest. The look-up is by an index on the digest:
 * a wrong token costs the same walk whatever it shares with a right one (no string comparison
 * of secrets in the application). A deactivated user's feed answers nothing, like their tokens.
 */
export async function findUserByFeedDigest(
  db: Executor,
  digest: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('calendar_feeds')
    .innerJoin('users', 'users.id', 'calendar_feeds.user_id')
    .select('calendar_feeds.user_id')
    .where('calendar_feeds.token_digest', '=', digest)
    .where('users.active', '=', 1)
    .executeTakeFirst();
  return row?.user_id;
}

/** A new feed's row: salt, digest and times. */
interface NewFeed {
  userId: string;
  salt: string;
  digest: string;
  now: number;
}

function feedValues(feed: NewFeed) {
  return {
    user_id: feed.userId,
    salt: feed.salt,
    token_digest: feed.digest,
    created_at: feed.now,
    rotated_at: feed.now,
  };
}

/**
 * Creates the user's feed unless one exists (a concurrent creation wins, and its salt is then
 * read back by the caller).
 */
export async function insertFeedIfAbsent(db: Executor, feed: NewFeed): Promise<void> {
  await db
    .insertInto('calendar_feeds')
    .values(feedValues(feed))
    .onConflict((c) => c.column('user_id').doNothing())
    .execute();
}

/** Gives the user's feed a new salt and digest in one statement; creates it if absent. */
export async function replaceFeed(db: Executor, feed: NewFeed): Promise<void> {
  await db
    .insertInto('calendar_feeds')
    .values(feedValues(feed))
    .onConflict((c) =>
      c.column('user_id').doUpdateSet({
        salt: feed.salt,
        token_digest: feed.digest,
        rotated_at: feed.now,
      }),
    )
    .execute();
}
