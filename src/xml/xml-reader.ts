/**
 * Streaming, schema-driven reader for Itinerary and Booking request bodies.
 *
 * saxes events are turned straight into the `XmlNode` document form (no generic DOM in between,
 * see `xml-document-builder.ts`), guided by the element table generated from the XSD. Hostile
 * input is refused early: DOCTYPE (hence any entity declaration, XXE, billion laughs), undefined
 * entities, excessive nesting and element counts. Unknown elements are ignored with their
 * subtree, as the live service does for the TMC guide's extra elements (SPEC §8.1).
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { AppError, errors } from '../errors.js';
import type { XmlNode } from './document.js';
import { decodeXmlBody } from './encoding/body-decoding.js';
import { REQUEST_ROOTS, type RequestRoot } from './request-roots.js';
import { DocumentBuilder } from './xml-document-builder.js';

export interface XmlReaderLimits {
  /** Deepest element nesting accepted, the root being depth 1 (default 32). */
  maxDepth?: number;
  /** Most elements accepted in one document, skipped ones included (default 20,000). */
  maxElements?: number;
}
/** Limits, and the encoding the request's Content-Type names, for a body given as bytes. */
export interface XmlReadOptions extends XmlReaderLimits {
  /** The Content-Type's `charset` parameter, which wins over the XML declaration. */
  charset?: string;
}

/** The body's text: bytes are decoded as `encoding/body-decoding.ts` says; a BOM is dropped. */
function decode(body: string | Buffer, charset: string | undefined): string {
  if (typeof body === 'string') return body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  return decodeXmlBody(body, charset);
}

/** Turns saxes' `line:column: message` into our wording. */
function parserError(message: string): AppError {
  const m = /^(\d+):(\d+): (.*)$/s.exec(message);
  const error = /doctype/i.test(message)
    ? errors.forbiddenXmlConstruct('a DOCTYPE declaration')
    : errors.malformedXml(m?.[3] ?? message);
  return m ? positioned(error, Number(m[1]), Number(m[2])) : error;
}

/**
 * The same refusal saying where in the body it was found, as saxes' own errors do: line from 1,
 * column as saxes counts it (the character just read, from 1). The position goes before a
 * closing full stop, so the message still reads as one sentence.
 */
function positioned(error: AppError, line: number, column: number): AppError {
  const where = `(line ${line}, column ${column})`;
  const message = error.message.endsWith('.')
    ? `${error.message.slice(0, -1)} ${where}.`
    : `${error.message} ${where}`;
  const copy = new AppError(error.code, error.httpStatus, message, { cause: error.cause });
  if (error.status !== undefined) copy.status = error.status;
  return copy;
}
/** A request document and the paths of the undefined elements it carried. */
export interface ReadDocument {
  document: XmlNode;
  /** Paths below the root, positions stripped, each once (see input/ignored-elements.ts). */
  ignored: readonly string[];
  /** Further undefined elements met once the kept paths reached their cap. */
  moreIgnored: number;
}

/**
 * Parses an Itinerary or Booking request body into its document form (the root's children).
 * Leaf values are validated and normalised (`leaf-values.ts`); list wrappers become arrays, empty
 * wrappers are left out, as are `xsi:nil="true"` elements, unknown elements, `xs:any` content and
 * elements in foreign namespaces. Throws an `AppError` (400) for every kind of bad input, 415
 * for bytes in an encoding no decoder is known for.
 */
export function parseXmlDocument(
  body: string | Buffer,
  expectedRoot: RequestRoot,
  options?: XmlReadOptions,
): XmlNode {
  return readXmlDocument(body, expectedRoot, options).document;
}

/** `parseXmlDocument`, also saying which undefined elements were skipped. */
export function readXmlDocument(
  body: string | Buffer,
  expectedRoot: RequestRoot,
  options?: XmlReadOptions,
): ReadDocument {
  const text = decode(body, options?.charset);
  if (!/\S/.test(text)) throw errors.emptyBody(REQUEST_ROOTS[expectedRoot].element);
  const lean = withoutIndentation(text);
  if (lean !== undefined) {
    try {
      return build(lean, expectedRoot, options);
    } catch {
      // Whatever went wrong, the document as sent decides (and positions errors in it).
    }
  }
  return build(text, expectedRoot, options);
}

/**
 * Whitespace that only indents markup: after an end tag, or before a start tag. Its run must
 * start after a non-blank (the look-behind), so a long blank run is scanned once, not once per
 * character.
 */
const INDENTATION = /(<\/[^<>]*>)[ \t\r\n]+|(?<![ \t\r\n])[ \t\r\n]+(?=<[^/!?])/g;

/**
 * The document without the indentation between its elements, which is a third of a typical
 * pretty-printed body and most of the parser's work, or undefined when that is not certainly
 * harmless. Such whitespace is text of an element that has child elements: ignored in a complex
 * element, and an error (child elements) in a leaf either way, so the result is the same. Leaf
 * text is never touched: it is not next to a start tag or an end tag other than its own end.
 * Comments, CDATA, DOCTYPE and processing instructions (other than the XML declaration at the
 * start) could hold such patterns as content, so documents with `<!` or `<?` are kept as sent.
 * The caller parses the document as sent whenever the lean one fails, so errors and their
 * positions stay those of the body as sent.
 */
function withoutIndentation(text: string): string | undefined {
  if (text.includes('<!') || text.indexOf('<?', 1) >= 0) return undefined;
  return text.replace(INDENTATION, '$1');
}

function build(
  text: string,
  expectedRoot: RequestRoot,
  limits: XmlReaderLimits | undefined,
): ReadDocument {
  const builder = new DocumentBuilder(
    expectedRoot,
    limits?.maxDepth ?? 32,
    limits?.maxElements ?? 20_000,
  );
  const parser = new SaxesParser({ xmlns: false, position: true });
  // saxes' errors carry their position already; the builder's refusals get it here.
  let fromParser: AppError | undefined;
  parser.on('error', (err) => {
    fromParser = parserError(err.message);
    throw fromParser;
  });
  parser.on('doctype', () => {
    throw errors.forbiddenXmlConstruct('a DOCTYPE declaration');
  });
  parser.on('attribute', () => builder.attribute());
  parser.on('opentag', (tag: SaxesTagPlain) => builder.open(tag));
  parser.on('text', (chunk) => builder.text(chunk));
  parser.on('cdata', (chunk) => builder.text(chunk));
  parser.on('closetag', () => builder.close());
  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof AppError && error !== fromParser) {
      throw positioned(error, parser.line, parser.column);
    }
    throw error;
  }
  if (!builder.result) {
    throw positioned(
      errors.malformedXml('the document has no root element'),
      parser.line,
      parser.column,
    );
  }
  const { paths, more } = builder.ignored.result();
  return { document: builder.result, ignored: paths, moreIgnored: more };
}
