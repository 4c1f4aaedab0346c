/**
 * Feed tokens (docs/CALENDAR.md): a traveller's calendar feed URL holds a token that calendar
 * programs send without any other credential. The token is HMAC-SHA256 of a random salt (kept
 * in `calendar_feeds`) under a server secret (sealed at rest with SECRETS_KEY): the app can show
 * the same URL again, while the database alone gives neither the token nor a way to make one.
 * Requests are looked up by the token's SHA-256 digest. Rotation draws a new salt: the old
 * token's digest is gone in the same statement, so its URL answers 404 from then on.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Executor } from '../../db/database.js';
import { digestToken } from '../../security/secret-hash.js';
import {
  findFeedOfUser,
  findUserByFeedDigest,
  insertFeedIfAbsent,
  replaceFeed,
} from './calendar-feed.repository.js';

/** Where feeds are served: `${FEED_PATH_PREFIX}/<token>.ics`. */
export const FEED_PATH_PREFIX = '/calendar/v1/feeds';

/** A token is 256 bits in base64url: 43 characters of `[A-Za-z0-9_-]`. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The server secret feed tokens are made with (a name in `server_secrets`). */
export type FeedKey = () => Promise<string>;

function tokenOf(key: string, salt: string): string {
  return createHmac('sha256', key).update(`calendar-feed:${salt}`).digest('base64url');
}

function pathOf(token: string): string {
  return `${FEED_PATH_PREFIX}/${token}.ics`;
}

/** Makes, finds and rotates feed tokens. */
export class CalendarFeedService {
  constructor(private readonly key: FeedKey) {}

  /** The path of the user's feed, made on first request. */
  async feedPath(db: Executor, userId: string, now = Date.now()): Promise<string> {
    const key = await this.key();
    let feed = await findFeedOfUser(db, userId);
    if (!feed) {
      const salt = randomBytes(32).toString('base64url');
      await insertFeedIfAbsent(db, { userId, salt, digest: digestToken(tokenOf(key, salt)), now });
      feed = await findFeedOfUser(db, userId);
      if (!feed) throw new Error(`calendar feed of user ${userId} was not stored`);
    }
    return pathOf(tokenOf(key, feed.salt));
  }

  /** Gives the user a new feed path; the previous one answers 404 from now on. */
  async rotate(db: Executor, userId: string, now = Date.now()): Promise<string> {
    const key = await this.key();
    const salt = randomBytes(32).toString('base64url');
    const token = tokenOf(key, salt);
    await replaceFeed(db, { userId, salt, digest: digestToken(token), now });
    return pathOf(token);
  }

  /** The user a feed token belongs to; undefined for a malformed, forged or rotated token. */
  async userOfToken(db: Executor, token: string): Promise<string | undefined> {
    if (!TOKEN_PATTERN.test(token)) return undefined;
    return findUserByFeedDigest(db, digestToken(token));
  }
}
