/**
 * What an input of `itinera import` is to the import service: a sequence of documents in a
 * fixed order, which a resumed import enters after its last committed one (import-sources.ts,
 * xml-stream-source.ts).
 */

export type SourceForm = 'directory' | 'ndjson' | 'xml-stream';

/** One document of an input. */
export interface SourceDocument {
  /** Its number in the input (NDJSON: its line's, from 0). */
  position: number;
  /** Where it is, for the report: a file path, `file:line`, or `file#n`. */
  location: string;
  /** The document's bytes (an `<Itinerary>` or a `<Booking>`). */
  bytes?: Buffer;
  /** Why the input itself holds no usable document here (a bad NDJSON line). */
  problem?: string;
  /** The traveller the input names for it (NDJSON `user`, `<Traveller id>`, sub-directory). */
  traveller?: string;
  /** Where the next document starts: a byte offset (files) or a position (directories). */
  next: number;
}

/** Where a resumed import starts: the next document's position and byte offset. */
export interface ResumePoint {
  position: number;
  byteOffset: number;
}

export interface ImportSource {
  form: SourceForm;
  /** The input's absolute path. */
  path: string;
  /** A digest of the input's path, sizes and modification times: which import this is. */
  fingerprint: string;
  /** The progress measure's total: documents (directory) or bytes (files). */
  total: { unit: 'documents' | 'bytes'; value: number };
  documents(from: ResumePoint, maxBytes: number): AsyncIterable<SourceDocument>;
}
