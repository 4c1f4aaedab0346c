/**
 * Identifiers the server hands out for trips and their bookings.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';

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

/**
 * A booking row's id: a version 7 UUID (RFC 9562), whose first 48 bits are the creation time
 * in milliseconds. Booking ids never leave the server; time-ordered ones make each new row's
 * primary-key entry land beside the previous one instead of on a random index page, which
 * saves a page write per booking in every commit.
 */
export function newBookingId(now = Date.now()): string {
  const time = now.toString(16).padStart(12, '0').slice(-12);
  // The random part (and variant bits) from a v4 UUID, with the version nibble set to 7.
  const random = randomUUID();
  return `${time.slice(0, 8)}-${time.slice(8)}-7${random.slice(15, 18)}-${random.slice(19)}`;
}

const LOCATOR_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A TripLink locator: six upper-case letters and digits, as in the samples (`NYR5ZT`). */
export function newTripLinkLocator(): string {
  let locator = '';
  for (let i = 0; i < 6; i++) locator += LOCATOR_ALPHABET[randomInt(LOCATOR_ALPHABET.length)];
  return locator;
}
