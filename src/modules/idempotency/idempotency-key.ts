/**
 * The `Idempotency-Key` header (draft-ietf-httpapi-idempotency-key-header) as Itinera reads it,
 * and the digest of the request a key is bound to.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { errors } from '../../errors.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** Longest key accepted: room for a UUID or a ULID with a prefix, not for a payload. */
export const MAX_KEY_LENGTH = 255;
// Printable ASCII without space, quotes, backslash or comma: a UUID, a ULID, base64(url) and
// the usual prefixes fit; nothing that could split a header or a log line does.
const KEY = /^[A-Za-z0-9._~:+/=@-]+$/;

/**
 * The request's key, or undefined when it sends none. The draft's structured-field form
 * (`"key"`) is read too. 400 for a key sent twice, empty, too long or with other characters.
 */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const sent = request.headers[IDEMPOTENCY_HEADER];
  if (sent === undefined) return undefined;
  if (Array.isArray(sent)) throw errors.badRequest('Send one Idempotency-Key header, not several.');
  const quoted = sent.length >= 2 && sent.startsWith('"') && sent.endsWith('"');
  const key = (quoted ? sent.slice(1, -1) : sent).trim();
  if (key.length === 0 || key.length > MAX_KEY_LENGTH || !KEY.test(key)) {
    throw errors.badRequest(
      `The Idempotency-Key header must be 1 to ${MAX_KEY_LENGTH} characters among letters, ` +
        'digits and . _ ~ : + / = @ - (a UUID is best).',
    );
  }
  return key;
}

/**
 * Passes a request body through while hashing it, so that the digest covers the bytes as
 * sent. Keeps `receivedEncodedLength`, which Fastify compares with Content-Length.
 */
export class DigestingStream extends Transform {
  receivedEncodedLength = 0;

  constructor(private readonly hash: Hash) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.receivedEncodedLength += chunk.length;
    this.hash.update(chunk);
    done(null, chunk);
  }
}

/**
 * A new request digest over method, URL (path and query) and any `If-Match`; the body is added
 * as it comes. A retry with another precondition is another request (422), not a replay of the
 * first answer. Without `If-Match` the digest is what it was before the header counted, so keys
 * stored by an earlier version still replay.
 */
export function requestHash(request: FastifyRequest): Hash {
  const hash = createHash('sha256').update(`${request.method} ${request.url}\n`);
  const ifMatch = request.headers['if-match'];
  if (ifMatch !== undefined) hash.update(`if-match: ${ifMatch}\n`);
  return hash;
}
