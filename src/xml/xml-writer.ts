/**
 * A small, fast XML serializer for the document form (`XmlNode`): plain string building, compact
 * output (no indentation). With a schema type the children are written in the XSD's order, which
 * is the order the service emits; without one in insertion order. The answers themselves are
 * output documents (`output/xml-output.ts`), whose writer calls the content writers here.
 *
 * Every text and attribute value goes through the escapes below, and every element name through
 * `tagsOf`, which refuses anything that is not a plain XML name: names come from code (schema
 * table, presenters), never from data.
 */
import type { XmlListItem, XmlNode, XmlValue } from './document.js';
import { SCHEMA } from './schema.generated.js';
import type { ComplexTypeDef, ElementDef } from './schema.js';

export interface WriteOptions {
  /** Schema type of the root (e.g. `ItineraryType`): children in schema order, unknown skipped. */
  typeName?: string;
  /** Default namespace declared on the root (`xmlns="…"`); none when null/absent. */
  namespace?: string | null;
  /** Extra attributes of the root element, e.g. `xmlns:i`. */
  rootAttributes?: Record<string, string>;
  /** Emit `<?xml version="1.0" encoding="utf-8"?>` first (default true). */
  declaration?: boolean;
  /** Schema mode: write empty lists as `<Name />` instead of leaving them out (default false). */
  keepEmptyLists?: boolean;
}

/** Characters that need work in text: markup, CR, XML-1.0-illegal controls, surrogates, U+FFFE/F. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const TEXT_SPECIAL = /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const ATTR_SPECIAL = /[&<>"\t\n\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

const TEXT_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  // A literal CR would be read back as LF; the reference keeps it.
  '\r': '&#xD;',
};
const ATTR_ESCAPES: Readonly<Record<string, string>> = {
  ...TEXT_ESCAPES,
  '"': '&quot;',
  '\t': '&#x9;',
  '\n': '&#xA;',
};

function escapeWith(s: string, escapes: Readonly<Record<string, string>>): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let replacement: string | undefined;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++; // a valid surrogate pair is kept as is
        continue;
      }
      replacement = ''; // a lone high surrogate cannot be encoded
    } else if ((c >= 0xdc00 && c <= 0xdfff) || c === 0xfffe || c === 0xffff) {
      replacement = '';
    } else if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) {
      replacement = ''; // not allowed in XML 1.0, not even as a character reference
    } else {
      replacement = escapes[s[i] as string];
    }
    if (replacement !== undefined) {
      out += s.slice(start, i) + replacement;
      start = i + 1;
    }
  }
  return start === 0 ? s : out + s.slice(start);
}

/** Escapes text content (`&`, `<`, `>`, CR) and drops characters XML 1.0 does not allow. */
export function escapeXmlText(s: string): string {
  return TEXT_SPECIAL.test(s) ? escapeWith(s, TEXT_ESCAPES) : s;
}

/** Escapes a double-quoted attribute value; drops characters XML 1.0 does not allow. */
export function escapeXmlAttribute(s: string): string {
  return ATTR_SPECIAL.test(s) ? escapeWith(s, ATTR_ESCAPES) : s;
}

/** Element and attribute names we write: ASCII XML names (a prefix allowed), nothing else. */
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*(?::[A-Za-z_][A-Za-z0-9_.-]*)?$/;

/** An element's tags, made once: `<Name`, `<Name>`, `</Name>` and the empty form `<Name />`. */
export interface Tags {
  start: string;
  open: string;
  close: string;
  empty: string;
}

/** Checked names and their tags. Names come from code, so a few hundred at most are ever seen. */
const tagCache = new Map<string, Tags>();
const TAG_CACHE_LIMIT = 4096;

/**
 * The tags of element `name`; throws when `name` is not an XML name, which only a programming
 * error can cause (names come from code). Cached, so the check costs one look-up per element.
 */
export function tagsOf(name: string): Tags {
  let tags = tagCache.get(name);
  if (tags === undefined) {
    if (!NAME.test(name)) throw new Error(`Not an XML name: ${JSON.stringify(name)}`);
    tags = { start: `<${name}`, open: `<${name}>`, close: `</${name}>`, empty: `<${name} />` };
    if (tagCache.size < TAG_CACHE_LIMIT) tagCache.set(name, tags);
  }
  return tags;
}

/** An attribute value: text, or undefined to leave the attribute out. */
export type AttributeValue = string | undefined;

/** Written attributes of frozen objects: the constant ones (namespaces) are escaped once. */
const writtenAttributes = new WeakMap<object, string>();

/**
 * ` a="v" b="w"`: names checked, values escaped, undefined values left out, in order. A frozen
 * object cannot change, so its text is kept and reused.
 */
export function writeAttributes(attrs: Readonly<Record<string, AttributeValue>>): string {
  const frozen = Object.isFrozen(attrs);
  if (frozen) {
    const written = writtenAttributes.get(attrs);
    if (written !== undefined) return written;
  }
  let out = '';
  for (const name in attrs) {
    const value = attrs[name];
    if (value === undefined) continue;
    tagsOf(name);
    out += ` ${name}="${escapeXmlAttribute(value)}"`;
  }
  if (frozen) writtenAttributes.set(attrs, out);
  return out;
}

/** `content` enclosed in the element of `tags`, with attributes `attrs` (written already). */
export function encloseWith(tags: Tags, attrs: string, content: string): string {
  if (attrs === '') return content === '' ? tags.empty : tags.open + content + tags.close;
  return content === ''
    ? `${tags.start}${attrs} />`
    : `${tags.start}${attrs}>${content}${tags.close}`;
}

/** What writing one schema type needs, prepared once per type. */
interface TypePlan {
  /** Element name → position, so a node's few keys can be put in schema order. */
  positions: Map<string, number>;
  elements: readonly ElementPlan[];
}

interface ElementPlan extends Tags {
  def: ElementDef;
  /** Lists: item element name → its tags and type. */
  items?: Map<string, Tags & { type: ComplexTypeDef }>;
  /** Complex elements: their type. */
  type?: ComplexTypeDef;
}

const plans = new Map<ComplexTypeDef, TypePlan>();

function planOf(type: ComplexTypeDef): TypePlan {
  let plan = plans.get(type);
  if (!plan) {
    plan = {
      positions: new Map(type.elements.map((e, i) => [e.name, i])),
      elements: type.elements.map((def) => elementPlan(def)),
    };
    plans.set(type, plan);
  }
  return plan;
}

function elementPlan(def: ElementDef): ElementPlan {
  const plan: ElementPlan = { def, ...tagsOf(def.name) };
  if (def.kind === 'list') {
    plan.items = new Map();
    for (const [name, typeName] of Object.entries(def.items)) {
      const type = SCHEMA[typeName];
      if (type) plan.items.set(name, { ...tagsOf(name), type });
    }
  } else if (def.kind === 'complex') {
    plan.type = SCHEMA[def.type];
  }
  return plan;
}

function enclose(tags: Tags, content: string): string {
  return content === '' ? tags.empty : tags.open + content + tags.close;
}

/**
 * Children of `node` in the order of `type`; values that do not fit their definition are skipped.
 * Sorting the node's keys beats scanning the type's up to 90 definitions for the few present.
 */
function writeTyped(node: XmlNode, type: ComplexTypeDef, keepEmptyLists: boolean): string {
  const plan = planOf(type);
  const present: number[] = [];
  for (const name in node) {
    const i = plan.positions.get(name);
    if (i === undefined) continue;
    // Insertion sort: a node has a few dozen keys at most, mostly in order already, and
    // this avoids calling a comparator from Array.prototype.sort for each pair.
    let at = present.length;
    while (at > 0 && (present[at - 1] as number) > i) {
      present[at] = present[at - 1] as number;
      at--;
    }
    present[at] = i;
  }
  let out = '';
  for (const i of present) {
    const element = plan.elements[i] as ElementPlan;
    const value = node[element.def.name] as XmlValue;
    if (element.def.kind === 'leaf') {
      if (typeof value === 'string') out += enclose(element, escapeXmlText(value));
    } else if (element.items) {
      if (!Array.isArray(value)) continue;
      let items = '';
      for (const item of value) {
        const itemPlan = element.items.get(item.element);
        if (itemPlan)
          items += enclose(itemPlan, writeTyped(item.node, itemPlan.type, keepEmptyLists));
      }
      if (items !== '' || keepEmptyLists) out += enclose(element, items);
    } else if (element.type && typeof value === 'object' && !Array.isArray(value)) {
      out += enclose(element, writeTyped(value, element.type, keepEmptyLists));
    }
  }
  return out;
}

/**
 * The children of `node` in the order of schema type `typeName` (e.g. `ItineraryType`), without
 * an enclosing element: elements not in the schema and (unless `keepEmptyLists`) empty lists are
 * left out, '' leaves become `<Name />`. Throws on an unknown type name (a programming error).
 */
export function writeTypedContent(
  node: XmlNode,
  typeName: string,
  keepEmptyLists: boolean,
): string {
  return writeTyped(node, schemaType(typeName), keepEmptyLists);
}

/** The schema type `typeName`; throws when there is none (a programming error). */
export function schemaType(typeName: string): ComplexTypeDef {
  const type = SCHEMA[typeName];
  if (!type) throw new Error(`Unknown schema type ${typeName}`);
  return type;
}

/**
 * The children of `node` in insertion order, without an enclosing element: strings as leaves,
 * objects as elements, arrays as a wrapper holding one element per item (an empty array gives
 * an empty wrapper).
 */
export function writeFreeContent(node: XmlNode): string {
  let out = '';
  for (const name in node) {
    const value = node[name];
    if (value === undefined || value === null) continue; // tolerate sloppy hand-built nodes
    out += enclose(tagsOf(name), freeContent(value));
  }
  return out;
}

function freeContent(value: XmlValue): string {
  if (typeof value === 'string') return escapeXmlText(value);
  if (!Array.isArray(value)) return writeFreeContent(value);
  let out = '';
  for (const item of value as XmlListItem[]) {
    out += enclose(tagsOf(item.element), writeFreeContent(item.node));
  }
  return out;
}

/** The XML declaration every document starts with. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

/**
 * Serializes `node` as the document element `rootName`: with `typeName` as `writeTypedContent`
 * writes children, without it as `writeFreeContent` does. Answers are output documents
 * (`output/xml-output.ts`); this is the short form for one `XmlNode`.
 */
export function writeXmlDocument(
  rootName: string,
  node: XmlNode,
  options: WriteOptions = {},
): string {
  const attrs = writeAttributes({
    xmlns: options.namespace || undefined,
    ...options.rootAttributes,
  });
  const content =
    options.typeName !== undefined
      ? writeTypedContent(node, options.typeName, options.keepEmptyLists ?? false)
      : writeFreeContent(node);
  const root = encloseWith(tagsOf(rootName), attrs, content);
  return options.declaration === false ? root : XML_DECLARATION + root;
}
