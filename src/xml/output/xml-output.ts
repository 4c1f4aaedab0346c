/**
 * The output document model: what presenters return and only the XML layer serializes
 * (`xml-output-writer.ts`). Where the data form (`XmlNode`, `document.ts`) holds one value per
 * element name, an output element holds ordered content, so siblings may repeat
 * (`<ItineraryInfo>` after `<ItineraryInfo>`), and attributes.
 *
 * Content is one of:
 * - text (a string), escaped by the writer;
 * - an element: name, attributes (escaped by the writer), content;
 * - typed content: an `XmlNode` written in the XSD's order of a schema type;
 * - fields: an `XmlNode` written in insertion order (leaves, nested elements, list wrappers);
 * - serialized content: XML the writer produced earlier (a stored rendering), sent verbatim.
 *
 * Element and attribute names come from code: the writer refuses anything but a plain XML name.
 * Nothing else is checked when a value is built: building stays a few allocations per answer.
 * The values are plain objects, built once per answer and written once: no methods, no copies.
 */
import type { XmlNode } from '../document.js';
import { schemaType } from '../xml-writer.js';
import type { AttributeValue } from './xml-markup.js';

/** Attribute name → value; undefined values are left out, the others written in this order. */
export type XmlAttributes = Readonly<Record<string, AttributeValue>>;

/** An element: `<name attributes>content</name>`, or `<name attributes />` when empty. */
export interface XmlElement {
  readonly kind: 'element';
  readonly name: string;
  readonly attributes: XmlAttributes | undefined;
  readonly content: readonly XmlContent[];
}

/** An `XmlNode` written in the order of schema type `typeName` (unknown elements left out). */
export interface XmlTypedContent {
  readonly kind: 'typed';
  readonly node: XmlNode;
  readonly typeName: string;
  /** Write empty lists as `<Name />` instead of leaving them out. */
  readonly keepEmptyLists: boolean;
}

/** An `XmlNode` written in insertion order: strings as leaves, objects as elements. */
export interface XmlFields {
  readonly kind: 'fields';
  readonly node: XmlNode;
}

/** XML written earlier by this layer (`writeXmlContent`), emitted as it is. */
export interface XmlSerialized {
  readonly kind: 'serialized';
  readonly xml: string;
}

/** One piece of an element's content; a string is text. */
export type XmlContent = string | XmlElement | XmlTypedContent | XmlFields | XmlSerialized;

/** A whole document: the declaration, then `root`. */
export interface XmlDocument {
  readonly kind: 'document';
  readonly root: XmlElement;
}

const NO_CONTENT: readonly XmlContent[] = [];

/**
 * An element. `name` and the attribute names must be constants of the caller's (the writer
 * refuses anything but an XML name); text and attribute values are escaped when written.
 * Attributes in a frozen object (`Object.freeze`) are escaped once and the text reused: freeze
 * the constant ones, such as namespace declarations.
 */
export function xmlElement(
  name: string,
  content: readonly XmlContent[] = NO_CONTENT,
  attributes?: XmlAttributes,
): XmlElement {
  return { kind: 'element', name, attributes, content };
}

/** `<name>text</name>` (`<name />` when `text` is empty). */
export function xmlLeaf(name: string, text: string): XmlElement {
  return xmlElement(name, [text]);
}

/** `node`'s children in the order of schema type `typeName`; throws on an unknown type. */
export function typedContent(
  node: XmlNode,
  typeName: string,
  options: { keepEmptyLists?: boolean } = {},
): XmlTypedContent {
  schemaType(typeName);
  return { kind: 'typed', node, typeName, keepEmptyLists: options.keepEmptyLists ?? false };
}

/**
 * Element `name` holding `node` in the order of schema type `typeName`, declaring `namespace`
 * as the default namespace when given: how Itinerary and Booking documents are written.
 */
export function typedElement(
  name: string,
  node: XmlNode,
  options: { typeName: string; namespace?: string; keepEmptyLists?: boolean },
): XmlElement {
  const attributes = options.namespace ? namespaceDeclaration(options.namespace) : undefined;
  return xmlElement(name, [typedContent(node, options.typeName, options)], attributes);
}

const declarations = new Map<string, XmlAttributes>();

/** `{ xmlns: namespace }`, frozen and kept, so that the writer escapes it once. */
function namespaceDeclaration(namespace: string): XmlAttributes {
  let attributes = declarations.get(namespace);
  if (!attributes) {
    attributes = Object.freeze({ xmlns: namespace });
    // Namespaces come from code: a handful at most.
    if (declarations.size < 16) declarations.set(namespace, attributes);
  }
  return attributes;
}

/** `node`'s children in insertion order (for documents the schema does not describe). */
export function xmlFields(node: XmlNode): XmlFields {
  return { kind: 'fields', node };
}

/**
 * XML produced by `writeXmlContent`, emitted verbatim. Only for strings this layer wrote (such
 * as a trip's stored rendering): nothing in them is checked or escaped again.
 */
export function serializedContent(xml: string): XmlSerialized {
  return { kind: 'serialized', xml };
}

/** A document whose element is `root`; written with the XML declaration. */
export function xmlDocument(root: XmlElement): XmlDocument {
  return { kind: 'document', root };
}
