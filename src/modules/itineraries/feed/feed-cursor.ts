/**
 * The feed's `next` cursor: a position in the feed, opaque to clients and tamper-evident. Its
 * form is `<seq>.<id>.<mac>` in base64url, the MAC being HMAC-SHA256 (first 128 bits) under a
 * server secret every process shares. A client cannot forge a position (say, one past changes it
 * should have read), and anything else it sends is refused before any query runs.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FeedPosition } from './trip-feed.repository.js';

/** The server secret (server_secrets) cursors are signed with. */
export const FEED_CURSOR_SECRET = 'trip-feed-cursor';

/** Longest cursor read: two 16-digit numbers, the MAC and separators, in base64url, with room. */
export const MAX_CURSOR_LENGTH = 128;

const MAC_BYTES = 16;
const DECODED = /^(0|[1-9]\d{0,15})\.(0|[1-9]\d{0,15})\.([A-Za-z0-9_-]{22})$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

function mac(key: string, seq: number, id: number): Buffer {
  return createHmac('sha256', key)
    .update(`trip-feed:v1:${seq}.${id}`)
    .digest()
    .subarray(0, MAC_BYTES);
}

/** The cursor of a position. */
export function encodeCursor(key: string, position: FeedPosition): string {
  const { seq, id } = position;
  return Buffer.from(`${seq}.${id}.${mac(key, seq, id).toString('base64url')}`).toString(
    'base64url',
  );
}

/** The position a cursor stands for, or undefined when it is not one this server issued. */
export function decodeCursor(key: string, cursor: string): FeedPosition | undefined {
  if (cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('latin1');
  // Base64url decoding ignores stray trailing bits: only the canonical spelling is a cursor.
  if (Buffer.from(text, 'latin1').toString('base64url') !== cursor) return undefined;
  const match = DECODED.exec(text);
  if (!match) return undefined;
  const seq = Number(match[1]);
  const id = Number(match[2]);
  if (!Number.isSafeInteger(seq) || !Number.isSafeInteger(id)) return undefined;
  const sent = Buffer.from(match[3] ?? '', 'base64url');
  const expected = mac(key, seq, id);
  if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) return undefined;
  return { seq, id };
}
