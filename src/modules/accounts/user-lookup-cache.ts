/**
 * A short-lived cache of users looked up by login id for `userid_value`: a TMC acting for its
 * travellers names them on every call, and the look-up would otherwise cost a query each time.
 * Entries live 30 s, as verified tokens do in the bearer authenticator, which bounds how long a
 * disabled user can still be acted for. One cache per database (tests run many databases in one
 * process).
 */
import { LRUCache } from 'lru-cache';
import type { Executor, UserRow } from '../../db/database.js';
import { findUserByLoginId } from './user.repository.js';

const TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  user: UserRow;
  /** Epoch ms after which the entry is read again (the caller's clock, so tests can move it). */
  until: number;
}

const caches = new WeakMap<object, LRUCache<string, Entry>>();

/** `findUserByLoginId` through the cache (misses are not cached: a user may be created). */
export async function cachedUserByLoginId(
  db: Executor,
  loginId: string,
  now = Date.now(),
): Promise<UserRow | undefined> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new LRUCache({ max: MAX_ENTRIES });
    caches.set(db, cache);
  }
  const key = loginId.trim().toLowerCase();
  const hit = cache.get(key);
  if (hit && hit.until > now) return hit.user;
  const user = await findUserByLoginId(db, key);
  if (!user) return undefined;
  cache.set(key, { user, until: now + TTL_MS });
  return user;
}

/**
 * Drops a user's entry (an anonymized user's old login id must stop naming them at once in this
 * process; other processes' entries run out within 30 s).
 */
export function evictCachedUser(db: Executor, loginId: string): void {
  caches.get(db)?.delete(loginId.trim().toLowerCase());
}
