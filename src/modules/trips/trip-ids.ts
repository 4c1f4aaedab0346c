/**
 * Identifiers the server hands out for trips.
 */
import { randomBytes, randomInt } from 'node:crypto';

/** An opaque, URL-safe trip id (128 random bits, base64url: letters, digits, `-` and `_`). */
export function newTripId(): string {
  return randomBytes(16).toString('base64url');
}

const LOCATOR_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A TripLink locator: six upper-case letters and digits, as in the samples (`NYR5ZT`). */
export function newTripLinkLocator(): string {
  let locator = '';
  for (let i = 0; i < 6; i++) locator += LOCATOR_ALPHABET[randomInt(LOCATOR_ALPHABET.length)];
  return locator;
}
