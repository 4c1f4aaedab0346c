/**
 * An XML request body's bytes → its text, in the encoding the request declares.
 *
 * The first of these decides (RFC 7303 §3.2–3.3 and the XML spec's appendix F): a byte order
 * mark; else the Content-Type's `charset`; else the bytes of a UTF-16 or UTF-32 document
 * without a mark (its first character has zero bytes, which no other encoding of `<` has);
 * else the XML declaration's `encoding` (except UTF-16 or UTF-32, which one-byte text cannot
 * be: such a body is read as UTF-8); else UTF-8. The others are not consulted: a charset
 * that contradicts the declaration wins, as RFC 7303 says it does for XML media types (proxies
 * that re-encode a body fix the header, not the declaration).
 *
 * Bytes the encoding does not define are refused with 400 and their offset in the body (the
 * XML spec makes them a fatal error); a name no decoder is known for, with 415. Plain UTF-8
 * (nearly every body) costs one validation pass over the bytes and no copy besides the text.
 */
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { errors } from '../../errors.js';
import { type Decoding, decodingFor } from './encoding-names.js';

const UTF8: Decoding = { kind: 'utf-8' };

/** The longest XML declaration read for its `encoding` (the declaration is short). */
const MAX_DECLARATION = 512;

/**
 * Decodes an XML request body (see the file comment); `charset` is the Content-Type's
 * parameter, if any. Drops a byte order mark. Throws an `AppError`: 415 for an encoding that
 * cannot be decoded, 400 for bytes that are not text in the encoding.
 */
export function decodeXmlBody(body: Buffer, charset?: string): string {
  const marked = byteOrderMark(body);
  if (marked) return decodeWith(marked.decoding, body, marked.length, marked.name);
  if (charset) {
    const decoding = decodingFor(charset);
    if (!decoding) throw errors.unsupportedEncoding(charset, 'the Content-Type charset');
    return decodeWith(decoding, body, 0, charset);
  }
  const wide = unmarkedWideUnicode(body);
  if (wide) return decodeWith(wide.decoding, body, 0, wide.name);
  const declared = declaredEncoding(body);
  if (declared === undefined) return decodeWith(UTF8, body, 0, 'UTF-8');
  const decoding = decodingFor(declared);
  if (!decoding) throw errors.unsupportedEncoding(declared, 'the XML declaration');
  // UTF-16 named in one-byte text: the declaration .NET writes for XML serialized into a
  // string, sent as UTF-8 (Concur's own XSD carries it too). The bytes cannot be UTF-16.
  if (decoding.kind === 'utf-16' || decoding.kind === 'utf-32') {
    return decodeWith(UTF8, body, 0, `UTF-8 (the body is not the ${declared} it declares)`);
  }
  return decodeWith(decoding, body, 0, declared);
}

interface Mark {
  decoding: Decoding;
  length: number;
  name: string;
}

function byteOrderMark(body: Buffer): Mark | undefined {
  const [b0, b1, b2, b3] = body;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) {
    return { decoding: UTF8, length: 3, name: 'UTF-8' };
  }
  // FF FE 00 00 is UTF-32's mark: UTF-16 text cannot start with U+0000, which XML forbids.
  if (b0 === 0xff && b1 === 0xfe) {
    return b2 === 0 && b3 === 0
      ? { decoding: { kind: 'utf-32', order: 'le' }, length: 4, name: 'UTF-32LE' }
      : { decoding: { kind: 'utf-16', order: 'le' }, length: 2, name: 'UTF-16LE' };
  }
  if (b0 === 0xfe && b1 === 0xff) {
    return { decoding: { kind: 'utf-16', order: 'be' }, length: 2, name: 'UTF-16BE' };
  }
  if (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) {
    return { decoding: { kind: 'utf-32', order: 'be' }, length: 4, name: 'UTF-32BE' };
  }
  return undefined;
}

/**
 * UTF-16 or UTF-32 without a byte order mark, told by the zero bytes of its first character
 * (`<` or blank space, which every one-byte-based encoding writes without a zero byte).
 */
function unmarkedWideUnicode(body: Buffer): Mark | undefined {
  const [b0, b1, b2, b3] = body;
  if (body.length < 2 || (b0 !== 0 && b1 !== 0)) return undefined;
  let kind: 'utf-16' | 'utf-32' = 'utf-16';
  if (b0 === 0 && b1 === 0) {
    if (b2 !== 0) return undefined;
    kind = 'utf-32';
  } else if (b1 === 0 && b2 === 0 && b3 === 0) {
    kind = 'utf-32';
  }
  const order = b0 === 0 ? 'be' : 'le';
  return { decoding: { kind, order }, length: 0, name: `${kind}${order}`.toUpperCase() };
}

const DECLARED_ENCODING = /^<\?xml[ \t\r\n][^?]*?encoding[ \t\r\n]*=[ \t\r\n]*(["'])([^"']*)\1/;

/** The `encoding` of an XML declaration in a one-byte-based encoding (read as Latin-1). */
function declaredEncoding(body: Buffer): string | undefined {
  // `<?xml` then blank space: anything else has no declaration.
  if (body[0] !== 0x3c || body[1] !== 0x3f || body[2] !== 0x78) return undefined;
  const end = body.indexOf(0x3e, 0); // '>'
  if (end < 0 || end > MAX_DECLARATION) return undefined;
  return DECLARED_ENCODING.exec(body.toString('latin1', 0, end + 1))?.[2];
}

/** Decodes `body` from `start`; `name` is the encoding as the request named it, for messages. */
function decodeWith(decoding: Decoding, body: Buffer, start: number, name: string): string {
  switch (decoding.kind) {
    case 'utf-8':
      return decodeUtf8(body, start, name);
    case 'utf-16':
      return decodeUtf16(body, start, decoding.order ?? orderOf(body, start, 2), name);
    case 'utf-32': {
      const order = decoding.order ?? orderOf(body, start, 4);
      const codec = order === 'le' ? 'utf-32le' : 'utf-32be';
      if ((body.length - start) % 4 !== 0) throw truncated(body, start, name, 4);
      return decodeWithIconv(body, start, codec, name);
    }
    case 'iconv':
      return decoding.c1
        ? decodeWindows(body, start, decoding.codec, name)
        : decodeWithIconv(body, start, decoding.codec, name);
  }
}

/** The byte order of unmarked UTF-16/UTF-32: where the first character's zero bytes are. */
function orderOf(body: Buffer, start: number, width: number): 'le' | 'be' {
  // RFC 2781 §4.3: big-endian unless the text shows otherwise.
  return body[start] !== 0 && body[start + width - 1] === 0 ? 'le' : 'be';
}

function decodeUtf8(body: Buffer, start: number, name: string): string {
  if (!isUtf8(start === 0 ? body : body.subarray(start))) {
    throw undefinedBytes(body, firstInvalidUtf8(body, start), name);
  }
  return body.toString('utf8', start);
}

function decodeUtf16(body: Buffer, start: number, order: 'le' | 'be', name: string): string {
  if ((body.length - start) % 2 !== 0) throw truncated(body, start, name, 2);
  const text =
    order === 'le'
      ? body.toString('utf16le', start)
      : Buffer.from(body.subarray(start)).swap16().toString('utf16le');
  const lone = loneSurrogate(text);
  if (lone >= 0) throw undefinedBytes(body, start + 2 * lone, name);
  return text;
}

/** Index of the first unpaired surrogate of `text`, or -1. */
function loneSurrogate(text: string): number {
  // Most bodies have no surrogate at all: one quick scan answers.
  if (!/[\uD800-\uDFFF]/.test(text)) return -1;
  const match = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(text);
  return match ? match.index : -1;
}

/**
 * Decodes with iconv-lite, which writes U+FFFD for bytes its table does not define. A U+FFFD
 * is accepted only when the body spells it out: the text then encodes back to the very bytes
 * sent; where it does not, the first difference is the offset refused.
 */
function decodeWithIconv(body: Buffer, start: number, codec: string, name: string): string {
  const bytes = body.subarray(start);
  // The BOM some encodings have (GB18030's) is kept until the bytes are compared.
  const text = iconv.decode(bytes, codec, { stripBOM: false });
  const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!text.includes('\uFFFD')) return withoutBom;
  const again = iconv.encode(text, codec);
  if (again.equals(bytes)) return withoutBom;
  let offset = 0;
  while (offset < bytes.length && bytes[offset] === again[offset]) offset++;
  throw undefinedBytes(body, start + offset, name);
}

/** Per Windows code page: byte → UTF-16 code unit, U+FFFD where the page defines none. */
const windowsTables = new Map<string, Uint16Array>();

/**
 * iconv-lite's table of a Windows code page, with the WHATWG tables' C1 controls where the
 * page leaves 0x80–0x9F undefined (windows-1252's 0x81, 0x8D, 0x8F, 0x90, 0x9D).
 */
function windowsTable(codec: string): Uint16Array {
  let table = windowsTables.get(codec);
  if (!table) {
    const chars = iconv.decode(Buffer.from(Array.from({ length: 256 }, (_, i) => i)), codec);
    table = new Uint16Array(256);
    for (let byte = 0; byte < 256; byte++) {
      const unit = chars.charCodeAt(byte);
      table[byte] = unit === 0xfffd && byte >= 0x80 && byte <= 0x9f ? byte : unit;
    }
    windowsTables.set(codec, table);
  }
  return table;
}

/** Decodes a Windows code page (one byte, one character) by its table. */
function decodeWindows(body: Buffer, start: number, codec: string, name: string): string {
  const table = windowsTable(codec);
  const units = Buffer.allocUnsafe(2 * (body.length - start));
  for (let i = start, j = 0; i < body.length; i++, j += 2) {
    const unit = table[body[i] as number] as number;
    if (unit === 0xfffd) throw undefinedBytes(body, i, name);
    units[j] = unit & 0xff;
    units[j + 1] = unit >> 8;
  }
  return units.toString('utf16le');
}

/**
 * Offset of the first byte of `bytes` from `start` that does not begin a well-formed UTF-8
 * sequence (Unicode table 3-7: no overlong forms, surrogates or values past U+10FFFF), or -1.
 */
export function firstInvalidUtf8(bytes: Uint8Array, start = 0): number {
  let i = start;
  while (i < bytes.length) {
    const lead = bytes[i] as number;
    if (lead < 0x80) {
      i++;
      continue;
    }
    let follow: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) follow = 1;
    else if (lead === 0xe0) [follow, low] = [2, 0xa0];
    else if (lead === 0xed) [follow, high] = [2, 0x9f];
    else if (lead >= 0xe1 && lead <= 0xef) follow = 2;
    else if (lead === 0xf0) [follow, low] = [3, 0x90];
    else if (lead === 0xf4) [follow, high] = [3, 0x8f];
    else if (lead >= 0xf1 && lead <= 0xf3) follow = 3;
    else return i;
    for (let k = 1; k <= follow; k++) {
      const byte = bytes[i + k];
      const [min, max] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (byte === undefined || byte < min || byte > max) return i;
    }
    i += follow + 1;
  }
  return -1;
}

function undefinedBytes(body: Buffer, offset: number, encoding: string) {
  const bytes = body
    .subarray(offset, offset + 4)
    .toString('hex')
    .toUpperCase();
  return errors.malformedXml(
    `it is not ${encoding} text at byte offset ${offset} ` +
      `(bytes from there: ${bytes.replace(/(..)(?!$)/g, '$1 ')}; offsets count from 0)`,
  );
}

function truncated(body: Buffer, start: number, encoding: string, width: number) {
  const offset = body.length - ((body.length - start) % width);
  return errors.malformedXml(
    `the body ends in the middle of a ${encoding} character, at byte offset ${offset}`,
  );
}
