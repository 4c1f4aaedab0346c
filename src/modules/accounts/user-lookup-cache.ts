/**
 * A short-lived cache of users looked up by login id for `userid_value`: a TMC acting for its
 * travellers names them on every call, and the look-up would otherwise cost a query each time.
 * Entries live 30 s, as verified tokens do in the auth hook, which bounds how long a disabled
 * user can still be acted for. One cache per database (tests run many databases in one process).
 */
import type { Executor, UserRow } from '../../db/database.js';
import { findUserByLoginId } from './user.repository.js';

const TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  user: UserRow | undefined;
  until: number;
}

const caches = new WeakMap<object, Map<string, Entry>>();

/** `findUserByLoginId` through the cache (misses are not cached: a user may be created). */
export async function cachedUserByLoginId(
  db: Executor,
  loginId: string,
  now = Date.now(),
): Promise<UserRow | undefined> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const key = loginId.trim().toLowerCase();
  const hit = cache.get(key);
  if (hit && hit.until > now) return hit.user;
  const user = await findUserByLoginId(db, key);
  if (!user) return undefined;
  if (cache.size >= MAX_ENTRIES) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.delete(key);
  cache.set(key, { user, until: now + TTL_MS });
  return user;
}
