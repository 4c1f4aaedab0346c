/**
 * The `startAfter` cursor of the Itineraries v4 list: an opaque, signed position in the list's
 * order (trip end, then id). A position, not an offset, so trips inserted or removed elsewhere
 * in the list never shift a page (keyset paging); signed (HMAC-SHA-256 under a server secret),
 * so a client cannot forge a position or read one as anything but an opaque string.
 *
 * The direction travels in the cursor: the `prev` operation's URL also uses `startAfter`, with
 * a cursor that reads "the page before this position" (the reference documents one parameter).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { errors } from '../../../errors.js';

/** A place in the list: the trip at `endAt` with `id`, and which side of it the page lies. */
export interface TripCursor {
  direction: 'after' | 'before';
  endAt: number;
  id: string;
}

/** Longest cursor accepted (a real one is well under 200 characters). */
export const MAX_CURSOR_LENGTH = 512;
const SIGNATURE_LENGTH = 22; // 128 bits of the HMAC, base64url

function signatureOf(secret: string, payload: string): string {
  return createHmac('sha256', secret)
    .update(`itinera.v4.trips.cursor:${payload}`)
    .digest('base64url')
    .slice(0, SIGNATURE_LENGTH);
}

/** The opaque text of a cursor. */
export function encodeCursor(secret: string, cursor: TripCursor): string {
  const payload = Buffer.from(
    JSON.stringify([cursor.direction === 'after' ? 'a' : 'b', cursor.endAt, cursor.id]),
  ).toString('base64url');
  return `${payload}.${signatureOf(secret, payload)}`;
}

/** Reads a cursor a client sent back; 400 when it is not one this service signed. */
export function decodeCursor(secret: string, text: string): TripCursor {
  const invalid = () =>
    errors.invalidValue(
      'startAfter',
      'not a cursor of this list; use the href of a next or prev operation as given',
    );
  const dot = text.indexOf('.');
  if (text.length > MAX_CURSOR_LENGTH || dot <= 0) throw invalid();
  const payload = text.slice(0, dot);
  const given = Buffer.from(text.slice(dot + 1));
  const expected = Buffer.from(signatureOf(secret, payload));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    (parsed[0] !== 'a' && parsed[0] !== 'b') ||
    !Number.isSafeInteger(parsed[1]) ||
    typeof parsed[2] !== 'string'
  ) {
    throw invalid();
  }
  return { direction: parsed[0] === 'a' ? 'after' : 'before', endAt: parsed[1], id: parsed[2] };
}
