/**
 * The XML stream form of `itinera import` (docs/IMPORT.md): one wrapper element (any name)
 * whose children are `<Itinerary>` and `<Booking>` documents, or `<Traveller id="…">` elements
 * grouping the documents of one traveller. The file is split into its documents by scanning its
 * markup (start and end tags, comments, processing instructions, CDATA), never by building it:
 * a stream of a million trips is read in constant memory, and each document's bytes go to the
 * API's own parser. The stream is UTF-8 (any ASCII-compatible encoding splits the same way).
 */
import fs from 'node:fs';
import type { ResumePoint, SourceDocument } from './source-document.js';

const READ_CHUNK = 1024 * 1024;
const LT = 0x3c;
const GT = 0x3e;

type Token =
  | { kind: 'start' | 'empty'; name: string; text: string; end: number }
  | { kind: 'end'; name: string; end: number }
  | { kind: 'skip'; end: number }
  | { kind: 'doctype'; end: number };

/** The local name of a tag's name (`ns:Itinerary` → `Itinerary`). */
function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

function startsWithAt(buf: Buffer, at: number, text: string): boolean {
  return buf.toString('latin1', at, at + text.length) === text;
}

/** The construct starting at `lt` (a `<`), or undefined when `buf` does not hold all of it. */
function scanToken(buf: Buffer, lt: number): Token | undefined {
  if (buf.length < lt + 2) return undefined;
  const next = buf[lt + 1];
  const closing = (marker: string, from: number): Token | undefined => {
    const at = buf.indexOf(marker, from, 'latin1');
    return at === -1 ? undefined : { kind: 'skip', end: at + marker.length };
  };
  if (next === 0x3f) return closing('?>', lt + 2);
  if (next === 0x21) {
    if (buf.length < lt + 9) return undefined;
    if (startsWithAt(buf, lt, '<!--')) return closing('-->', lt + 4);
    if (startsWithAt(buf, lt, '<![CDATA[')) return closing(']]>', lt + 9);
    return { kind: 'doctype', end: lt + 2 };
  }
  if (next === 0x2f) {
    const gt = buf.indexOf(GT, lt);
    if (gt === -1) return undefined;
    return { kind: 'end', name: buf.toString('utf8', lt + 2, gt).trim(), end: gt + 1 };
  }
  let quote = 0;
  for (let j = lt + 1; j < buf.length; j++) {
    const c = buf[j] as number;
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) {
      quote = c;
    } else if (c === GT) {
      const text = buf.toString('utf8', lt + 1, j);
      const name = /^[^\s/>]+/.exec(text)?.[0] ?? '';
      return { kind: buf[j - 1] === 0x2f ? 'empty' : 'start', name, text, end: j + 1 };
    }
  }
  return undefined;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The `id` attribute of a `<Traveller>` tag, its predefined entities replaced. */
function travellerId(tagText: string): string | undefined {
  const match = /\sid\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(tagText);
  const raw = match?.[1] ?? match?.[2];
  return raw?.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ENTITIES[name] ?? '');
}

/**
 * The documents of an XML stream file from `from.position` on. The file is scanned from its
 * start (the nesting at a byte offset is not stored), skipping the documents before it.
 */
export async function* readXmlStream(
  file: string,
  from: ResumePoint,
  maxBytes: number,
): AsyncGenerator<SourceDocument> {
  const handle = await fs.promises.open(file, 'r');
  try {
    let buf = Buffer.alloc(0);
    let base = 0; // the file offset of buf[0]
    let i = 0;
    let eof = false;
    let depth = 0;
    let traveller: string | undefined;
    let inTraveller = false;
    let docStart = -1; // file offset of the open document's `<`, or -1
    let docDepth = 0;
    let tooBig = false;
    let position = 0;
    const readMore = async (): Promise<boolean> => {
      if (eof) return false;
      const keep = docStart >= 0 && !tooBig ? docStart - base : i;
      const chunk = Buffer.alloc(READ_CHUNK);
      const { bytesRead } = await handle.read(chunk, 0, READ_CHUNK, base + buf.length);
      if (bytesRead === 0) eof = true;
      buf = Buffer.concat([buf.subarray(keep), chunk.subarray(0, bytesRead)]);
      base += keep;
      i -= keep;
      return bytesRead > 0;
    };
    const document = (end: number): SourceDocument => {
      const here: SourceDocument = {
        position,
        location: `${file}#${position + 1}`,
        traveller,
        next: base + end,
      };
      if (tooBig) here.problem = `The document holds more than ${maxBytes} bytes.`;
      else here.bytes = Buffer.from(buf.subarray(docStart - base, end));
      return here;
    };
    while (true) {
      const lt = buf.indexOf(LT, i);
      if (lt === -1) {
        i = buf.length;
        if (docStart >= 0 && base + i - docStart > maxBytes) tooBig = true;
        if (!(await readMore())) break;
        continue;
      }
      const token = scanToken(buf, lt);
      if (!token) {
        i = lt;
        if (buf.length - lt > maxBytes) throw new Error(`markup at byte ${base + lt} never ends`);
        if (await readMore()) continue;
        if (docStart >= 0) {
          tooBig = false;
          const truncated = document(buf.length);
          yield { ...truncated, bytes: undefined, problem: 'The file ends inside this document.' };
        }
        return;
      }
      i = token.end;
      if (token.kind === 'doctype') {
        throw new Error(`the XML stream holds a DOCTYPE (byte ${base + lt}), which is refused`);
      }
      if (token.kind === 'skip') continue;
      const container = depth === 1 || (depth === 2 && inTraveller);
      if (token.kind === 'end') {
        depth--;
        if (docStart >= 0 && depth === docDepth) {
          if (position >= from.position) yield document(i);
          position++;
          docStart = -1;
          tooBig = false;
        } else if (inTraveller && depth === 1) {
          inTraveller = false;
          traveller = undefined;
        }
        continue;
      }
      if (docStart >= 0 || depth === 0 || !container) {
        if (token.kind === 'start') depth++;
      } else if (depth === 1 && localName(token.name) === 'Traveller') {
        if (token.kind === 'start') {
          depth++;
          inTraveller = true;
          traveller = travellerId(token.text);
        }
      } else {
        docStart = base + lt;
        docDepth = depth;
        if (token.kind === 'start') {
          depth++;
        } else {
          if (position >= from.position) yield document(i);
          position++;
          docStart = -1;
        }
      }
      if (docStart >= 0 && base + i - docStart > maxBytes) tooBig = true;
    }
  } finally {
    await handle.close();
  }
}
