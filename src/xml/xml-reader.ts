/**
 * Streaming, schema-driven reader for Itinerary and Booking request bodies.
 *
 * saxes events are turned straight into the `XmlNode` document form (no generic DOM in between),
 * guided by the element table generated from the XSD. Hostile input is refused early: DOCTYPE
 * (hence any entity declaration, XXE, billion laughs), undefined entities, excessive nesting and
 * element counts. Unknown elements are ignored with their subtree, as the live service does for
 * the TMC guide's extra elements (NOTES §8.1).
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { errors } from '../errors.js';
import type { XmlListItem, XmlNode, XmlValue } from './document.js';
import { normalizeLeaf } from './leaf-values.js';
import { ROOT_TYPES, SCHEMA } from './schema.generated.js';
import { type ElementDef, type LeafElement, type ListElement, TRIP_NAMESPACE } from './schema.js';

/** No namespace (the XSD and the Booking sample), the trip namespace, and its https variant. */
const ACCEPTED_NAMESPACES: ReadonlySet<string> = new Set([
  '',
  TRIP_NAMESPACE,
  TRIP_NAMESPACE.replace(/^http:/, 'https:'),
]);
const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';

export interface XmlReaderLimits {
  /** Deepest element nesting accepted, the root being depth 1 (default 32). */
  maxDepth?: number;
  /** Most elements accepted in one document, skipped ones included (default 20,000). */
  maxElements?: number;
}

type Frame =
  | { kind: 'complex'; name: string; path: string; lookup: Lookup; node: XmlNode }
  | { kind: 'list'; name: string; path: string; def: ListElement; items: XmlListItem[] }
  | { kind: 'item'; name: string; path: string; lookup: Lookup; node: XmlNode }
  | { kind: 'leaf'; name: string; path: string; def: LeafElement; text: string };

type Lookup = ReadonlyMap<string, ElementDef>;

const lookups = new Map<string, Lookup>();

/** Child element name → definition for a complex type, built once per type. */
function lookupFor(typeName: string): Lookup {
  let lookup = lookups.get(typeName);
  if (!lookup) {
    const def = SCHEMA[typeName];
    if (!def) throw new Error(`Unknown schema type ${typeName}`);
    lookup = new Map(def.elements.map((e) => [e.name, e]));
    lookups.set(typeName, lookup);
  }
  return lookup;
}

/** Decodes the body: UTF-8 unless a UTF-16 byte order mark says otherwise; drops the BOM. */
function decode(body: string | Buffer): string {
  if (typeof body === 'string') return body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  if (body[0] === 0xff && body[1] === 0xfe) return body.subarray(2).toString('utf16le');
  if (body[0] === 0xfe && body[1] === 0xff) {
    if (body.length % 2 !== 0) throw errors.malformedXml('truncated UTF-16 text');
    return Buffer.from(body.subarray(2)).swap16().toString('utf16le');
  }
  const start = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
  return body.toString('utf8', start);
}

/** Turns saxes' `line:column: message` into our wording. */
function parserError(message: string): Error {
  if (/doctype/i.test(message)) return errors.forbiddenXmlConstruct('a DOCTYPE declaration');
  const m = /^(\d+):(\d+): (.*)$/s.exec(message);
  return errors.malformedXml(m ? `${m[3]} (line ${m[1]}, column ${m[2]})` : message);
}

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

/**
 * Namespace prefixes in scope, resolved by us rather than by saxes' xmlns mode, which costs a
 * fifth of the parse. One entry per open element: its own declarations, or null.
 */
class NamespaceScopes {
  private readonly stack: (Map<string, string> | null)[] = [];

  /** Enters an element, recording the `xmlns`/`xmlns:p` declarations among its attributes. */
  enter(attributes: Record<string, string>): void {
    let declared: Map<string, string> | null = null;
    for (const name in attributes) {
      if (name === 'xmlns' || name.startsWith('xmlns:')) {
        declared ??= new Map();
        declared.set(name === 'xmlns' ? '' : name.slice(6), attributes[name] ?? '');
      }
    }
    this.stack.push(declared);
  }

  leave(): void {
    this.stack.pop();
  }

  /** The namespace of a prefix ('' for the default namespace); undefined when unbound. */
  resolve(prefix: string): string | undefined {
    if (prefix === 'xml') return XML_NAMESPACE;
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const uri = this.stack[i]?.get(prefix);
      if (uri !== undefined) return uri;
    }
    return prefix === '' ? '' : undefined;
  }
}

/** Splits a qualified name into prefix and local name. */
function splitName(name: string): [string, string] {
  const colon = name.indexOf(':');
  return colon < 0 ? ['', name] : [name.slice(0, colon), name.slice(colon + 1)];
}

/** `xsi:nil="true"` among the attributes (with any prefix bound to the XSI namespace). */
function isNil(attributes: Record<string, string>, scopes: NamespaceScopes): boolean {
  for (const name in attributes) {
    const [prefix, local] = splitName(name);
    if (local === 'nil' && prefix !== '' && scopes.resolve(prefix) === XSI_NAMESPACE) {
      const v = (attributes[name] ?? '').trim();
      return v === 'true' || v === '1';
    }
  }
  return false;
}

/** Structural equality of two document values (used to tolerate identical repeats). */
function sameValue(a: XmlValue, b: XmlValue): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => x.element === b[i]?.element && sameValue(x.node, b[i].node));
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => {
    const y = b[k];
    const x = a[k];
    return x !== undefined && y !== undefined && sameValue(x, y);
  });
}

/** Stores a leaf or complex child, refusing a second, different occurrence. */
function setOnce(node: XmlNode, name: string, value: XmlValue, path: string): void {
  const previous = node[name];
  if (previous !== undefined && !sameValue(previous, value)) {
    throw errors.invalidValue(path, 'appears more than once');
  }
  node[name] = value;
}

/**
 * Parses an Itinerary or Booking request body into its document form (the root's children).
 * Leaf values are validated and normalised (`leaf-values.ts`); list wrappers become arrays, empty
 * wrappers are left out, as are `xsi:nil="true"` elements, unknown elements, `xs:any` content and elements in
 * foreign namespaces are left out. Throws an `AppError` (400) for every kind of bad input.
 */
export function parseXmlDocument(
  body: string | Buffer,
  expectedRoot: 'Itinerary' | 'Booking',
  limits?: XmlReaderLimits,
): XmlNode {
  const text = decode(body);
  if (!/\S/.test(text)) throw errors.emptyBody(expectedRoot);
  const maxDepth = limits?.maxDepth ?? 32;
  const maxElements = limits?.maxElements ?? 20_000;

  const parser = new SaxesParser({ xmlns: false, position: true });
  const scopes = new NamespaceScopes();
  const stack: Frame[] = [];
  let result: XmlNode | undefined;
  let skipDepth = 0;
  let elementCount = 0;
  // Per list: item element name → how many so far, for `Air[2]`-style paths (XPath numbering).
  const itemCounts = new Map<XmlListItem[], Map<string, number>>();

  parser.on('error', (err) => {
    throw parserError(err.message);
  });
  parser.on('doctype', () => {
    throw errors.forbiddenXmlConstruct('a DOCTYPE declaration');
  });

  parser.on('opentag', (tag: SaxesTagPlain) => {
    if (++elementCount > maxElements) {
      throw errors.badRequest(`The document has more than ${maxElements} elements.`);
    }
    if (stack.length + skipDepth + 1 > maxDepth) {
      throw errors.badRequest(`The document nests elements deeper than ${maxDepth} levels.`);
    }
    scopes.enter(tag.attributes);
    if (skipDepth > 0) {
      skipDepth++;
      return;
    }
    const [prefix, local] = splitName(tag.name);
    const uri = scopes.resolve(prefix);
    if (uri === undefined) throw errors.malformedXml(`unbound namespace prefix '${prefix}'`);
    const parent = stack.at(-1);
    if (!parent) {
      if (local !== expectedRoot || !ACCEPTED_NAMESPACES.has(uri)) {
        throw errors.wrongRoot(expectedRoot, tag.name);
      }
      const node: XmlNode = {};
      result = node;
      stack.push({
        kind: 'complex',
        name: local,
        path: local,
        node,
        lookup: lookupFor(ROOT_TYPES[expectedRoot]),
      });
      return;
    }
    if (parent.kind === 'leaf') {
      throw errors.invalidValue(parent.path, 'must hold text only, not child elements');
    }
    const name = local;
    if (!ACCEPTED_NAMESPACES.has(uri) || isNil(tag.attributes, scopes)) {
      skipDepth = 1;
      return;
    }
    if (parent.kind === 'list') {
      const typeName = parent.def.items[name];
      if (typeName === undefined) {
        skipDepth = 1;
        return;
      }
      let counts = itemCounts.get(parent.items);
      if (!counts) {
        counts = new Map();
        itemCounts.set(parent.items, counts);
      }
      const index = (counts.get(name) ?? 0) + 1;
      counts.set(name, index);
      const path = `${parent.path}/${name}[${index}]`;
      stack.push({ kind: 'item', name, path, node: {}, lookup: lookupFor(typeName) });
      return;
    }
    const def = parent.lookup.get(name);
    const path = `${parent.path}/${name}`;
    if (def === undefined || def.kind === 'any') {
      skipDepth = 1;
    } else if (def.kind === 'leaf') {
      stack.push({ kind: 'leaf', name, path, def, text: '' });
    } else if (def.kind === 'complex') {
      stack.push({ kind: 'complex', name, path, node: {}, lookup: lookupFor(def.type) });
    } else {
      // A repeated wrapper continues the same list (every wrapper is maxOccurs="unbounded").
      const existing = parent.node[name];
      const items = Array.isArray(existing) ? existing : [];
      parent.node[name] = items;
      stack.push({ kind: 'list', name, path, def, items });
    }
  });

  const onText = (chunk: string) => {
    if (skipDepth > 0) return;
    const frame = stack.at(-1);
    if (!frame) return;
    if (frame.kind === 'leaf') frame.text += chunk;
    else if (/\S/.test(chunk)) {
      throw errors.invalidValue(frame.path, 'must hold child elements, not text');
    }
  };
  parser.on('text', onText);
  parser.on('cdata', onText);

  parser.on('closetag', () => {
    scopes.leave();
    if (skipDepth > 0) {
      skipDepth--;
      return;
    }
    const frame = stack.pop();
    const parent = stack.at(-1);
    if (!frame || !parent) return; // the root: `result` already holds it
    if (frame.kind === 'item') {
      if (parent.kind === 'list') parent.items.push({ element: frame.name, node: frame.node });
    } else if (parent.kind === 'complex' || parent.kind === 'item') {
      if (frame.kind === 'leaf') {
        const value = normalizeLeaf(frame.def, frame.text, frame.path);
        if (value !== undefined) setOnce(parent.node, frame.name, value, frame.path);
      } else if (frame.kind === 'complex') {
        setOnce(parent.node, frame.name, frame.node, frame.path);
      } else if (frame.kind === 'list' && frame.items.length === 0) {
        // An empty wrapper (`<RuleViolations />`) carries nothing: absent, like an empty number.
        if (parent.node[frame.name] === frame.items) delete parent.node[frame.name];
      }
    }
  });

  parser.write(text).close();
  if (!result) throw errors.malformedXml('the document has no root element');
  return result;
}
