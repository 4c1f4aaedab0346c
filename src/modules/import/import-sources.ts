/**
 * The three input forms of `itinera import` (docs/IMPORT.md): a directory of XML files, an
 * NDJSON file, an XML stream file. Each is read as a sequence of documents, numbered from 0 in
 * a fixed order, so that a resumed import skips exactly the documents its last commit covered.
 * Nothing here parses a document: the import service gives each one to the same parser as the
 * API.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ImportSource, SourceDocument, SourceForm } from './source-document.js';
import { readXmlStream } from './xml-stream-source.js';

export type { ImportSource, ResumePoint, SourceDocument, SourceForm } from './source-document.js';

const READ_CHUNK = 1024 * 1024;

/** Every `*.xml` file under `dir`, by relative path in code-point order (no locale). */
function xmlFilesUnder(dir: string, prefix = ''): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) found.push(...xmlFilesUnder(dir, relative));
    else if (entry.isFile() && entry.name.toLowerCase().endsWith('.xml')) found.push(relative);
  }
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function digest(parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\n');
  return hash.digest('hex').slice(0, 32);
}

function directorySource(dir: string): ImportSource {
  const files = xmlFilesUnder(dir);
  const listing = files.map((file) => {
    const stat = fs.statSync(path.join(dir, file));
    return `${file}\t${stat.size}\t${Math.trunc(stat.mtimeMs)}`;
  });
  return {
    form: 'directory',
    path: dir,
    fingerprint: digest(['directory', dir, ...listing]),
    total: { unit: 'documents', value: files.length },
    async *documents(from, maxBytes) {
      for (let position = from.position; position < files.length; position++) {
        const file = files[position] as string;
        const full = path.join(dir, file);
        const slash = file.indexOf('/');
        const traveller = slash > 0 ? file.slice(0, slash) : undefined;
        const size = fs.statSync(full).size;
        const document: SourceDocument = {
          position,
          location: full,
          traveller,
          next: position + 1,
        };
        if (size > maxBytes)
          document.problem = `The file holds ${size} bytes; at most ${maxBytes} are accepted.`;
        else document.bytes = await fs.promises.readFile(full);
        yield document;
      }
    },
  };
}

/** One NDJSON line as a document, or the reason it is not one. */
function ndjsonDocument(line: Buffer, document: SourceDocument, maxBytes: number): SourceDocument {
  if (line.length > maxBytes) {
    return {
      ...document,
      problem: `The line holds ${line.length} bytes; at most ${maxBytes} are accepted.`,
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(line.toString('utf8'));
  } catch (error) {
    return { ...document, problem: `The line is not JSON: ${(error as Error).message}` };
  }
  const record = value as { user?: unknown; xml?: unknown };
  if (typeof value !== 'object' || value === null || typeof record.xml !== 'string') {
    return { ...document, problem: 'The line must be a JSON object with an "xml" string.' };
  }
  if (record.user !== undefined && typeof record.user !== 'string') {
    return { ...document, problem: '"user" must be a string when present.' };
  }
  return { ...document, bytes: Buffer.from(record.xml, 'utf8'), traveller: record.user };
}

function ndjsonSource(file: string, size: number, mtime: number): ImportSource {
  return {
    form: 'ndjson',
    path: file,
    fingerprint: digest(['ndjson', file, String(size), String(mtime)]),
    total: { unit: 'bytes', value: size },
    async *documents(from, maxBytes) {
      let position = from.position;
      let offset = from.byteOffset;
      let pending = Buffer.alloc(0);
      let tooLong = false;
      const stream = fs.createReadStream(file, {
        start: from.byteOffset,
        highWaterMark: READ_CHUNK,
      });
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        let data = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
        let start = 0;
        for (let end = data.indexOf(0x0a); end !== -1; end = data.indexOf(0x0a, start)) {
          const line = data.subarray(start, end);
          offset += end + 1 - start;
          start = end + 1;
          const here = { position, location: `${file}:${position + 1}`, next: offset };
          position++;
          if (tooLong) {
            tooLong = false;
            yield { ...here, problem: `The line holds more than ${maxBytes} bytes.` };
          } else if (line.toString('latin1').trim() !== '') {
            yield ndjsonDocument(line, here, maxBytes);
          }
        }
        data = data.subarray(start);
        // A line longer than any document may be is dropped as it streams, not held in memory.
        if (data.length > maxBytes + 2) {
          tooLong = true;
          offset += data.length;
          data = Buffer.alloc(0);
        }
        pending = Buffer.from(data);
      }
      if (tooLong || pending.toString('latin1').trim() !== '') {
        const here = {
          position,
          location: `${file}:${position + 1}`,
          next: offset + pending.length,
        };
        if (tooLong) yield { ...here, problem: `The line holds more than ${maxBytes} bytes.` };
        else yield ndjsonDocument(pending, here, maxBytes);
      }
    },
  };
}

/** The form of a file: by its extension, else by its first non-blank character. */
function fileForm(file: string): SourceForm {
  const lower = file.toLowerCase();
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'ndjson';
  if (lower.endsWith('.xml')) return 'xml-stream';
  const head = Buffer.alloc(512);
  const fd = fs.openSync(file, 'r');
  try {
    const read = fs.readSync(fd, head, 0, head.length, 0);
    const first = /\S/.exec(
      head
        .subarray(0, read)
        .toString('utf8')
        .replace(/^\uFEFF/, ''),
    )?.[0];
    return first === '<' ? 'xml-stream' : 'ndjson';
  } finally {
    fs.closeSync(fd);
  }
}

/** Opens an input: a directory, or an NDJSON or XML stream file. Throws when it is neither. */
export function openImportSource(input: string): ImportSource {
  const full = path.resolve(input);
  const stat = fs.statSync(full);
  if (stat.isDirectory()) return directorySource(full);
  if (!stat.isFile()) throw new Error(`${input} is neither a directory nor a file`);
  const mtime = Math.trunc(stat.mtimeMs);
  if (fileForm(full) === 'ndjson') return ndjsonSource(full, stat.size, mtime);
  return {
    form: 'xml-stream',
    path: full,
    fingerprint: digest(['xml-stream', full, String(stat.size), String(mtime)]),
    total: { unit: 'bytes', value: stat.size },
    documents: (from, maxBytes) => readXmlStream(full, from, maxBytes),
  };
}
