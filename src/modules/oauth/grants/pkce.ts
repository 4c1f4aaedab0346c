/**
 * Proof Key for Code Exchange (RFC 7636): the authorize request carries a challenge, the
 * token request the verifier it was derived from, so that a stolen code is useless alone.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export type ChallengeMethod = 'S256' | 'plain';

// RFC 7636 §4.1: 43 to 128 unreserved characters.
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
// BASE64URL(SHA256(verifier)) without padding: always 43 characters.
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** Whether `verifier` has the form RFC 7636 requires. */
export function isValidVerifier(verifier: string): boolean {
  return VERIFIER.test(verifier);
}

/** Whether `challenge` has the form its method produces. */
export function isValidChallenge(challenge: string, method: ChallengeMethod): boolean {
  return method === 'S256' ? S256_CHALLENGE.test(challenge) : VERIFIER.test(challenge);
}

/** The S256 challenge of a verifier. */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** Checks a verifier against the stored challenge, in constant time. */
export function verifierMatches(
  verifier: string,
  challenge: string,
  method: ChallengeMethod,
): boolean {
  if (!isValidVerifier(verifier)) return false;
  const expected = Buffer.from(challenge);
  const actual = Buffer.from(method === 'S256' ? s256Challenge(verifier) : verifier);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
