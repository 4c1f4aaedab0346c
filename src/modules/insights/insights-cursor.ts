/**
 * The `offset` cursor of the opportunities list, carried in `NextPage`: an opaque, signed
 * position (the next trip's start and id) bound to the query it pages through. A position, not
 * a count, so trips written between two requests do not shift a page; signed (HMAC-SHA-256
 * under a server secret), so a client can neither forge a position nor move it to another query.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { errors } from '../../errors.js';

/** A place in the list: after the trip starting at `startAt` with `id`. */
export interface InsightsCursor {
  startAt: number;
  id: string;
}

/** Longest cursor accepted (a real one is well under 200 characters). */
export const MAX_CURSOR_LENGTH = 512;
const SIGNATURE_LENGTH = 22; // 128 bits of the HMAC, base64url

function signatureOf(secret: string, query: string, payload: string): string {
  return createHmac('sha256', secret)
    .update(`itinera.insights.opportunities.cursor:${query}:${payload}`)
    .digest('base64url')
    .slice(0, SIGNATURE_LENGTH);
}

/** The opaque text of a cursor for the query `query` (its window and types, as a key). */
export function encodeCursor(secret: string, query: string, cursor: InsightsCursor): string {
  const payload = Buffer.from(JSON.stringify([cursor.startAt, cursor.id])).toString('base64url');
  return `${payload}.${signatureOf(secret, query, payload)}`;
}

/** Reads a cursor a client sent back; 400 when this service did not sign it for `query`. */
export function decodeCursor(secret: string, query: string, text: string): InsightsCursor {
  const invalid = () =>
    errors.invalidValue('offset', 'not a cursor of this query; use NextPage as given');
  const dot = text.indexOf('.');
  if (text.length > MAX_CURSOR_LENGTH || dot <= 0) throw invalid();
  const payload = text.slice(0, dot);
  const given = Buffer.from(text.slice(dot + 1));
  const expected = Buffer.from(signatureOf(secret, query, payload));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    !Number.isSafeInteger(parsed[0]) ||
    typeof parsed[1] !== 'string'
  ) {
    throw invalid();
  }
  return { startAt: parsed[0], id: parsed[1] };
}
