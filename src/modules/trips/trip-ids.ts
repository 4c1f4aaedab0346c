/**
 * Identifiers the server hands out for trips.
 */
import { randomBytes, randomInt } from 'node:crypto';

const ID_BYTES = 16;
/**
 * Random bytes are drawn 256 ids at a time: one `randomBytes(16)` call costs ~2.5 µs, most of
 * it per call, not per byte (Node's randomUUID pools the same way). Each byte is used once.
 */
const POOL_BYTES = ID_BYTES * 256;
let pool = Buffer.alloc(0);
let used = 0;

/** An opaque, URL-safe trip id (128 random bits, base64url: letters, digits, `-` and `_`). */
export function newTripId(): string {
  if (used + ID_BYTES > pool.length) {
    pool = randomBytes(POOL_BYTES);
    used = 0;
  }
  const id = pool.toString('base64url', used, used + ID_BYTES);
  used += ID_BYTES;
  return id;
}

const LOCATOR_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A TripLink locator: six upper-case letters and digits, as in the samples (`NYR5ZT`). */
export function newTripLinkLocator(): string {
  let locator = '';
  for (let i = 0; i < 6; i++) locator += LOCATOR_ALPHABET[randomInt(LOCATOR_ALPHABET.length)];
  return locator;
}
