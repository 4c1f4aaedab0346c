/**
 * A tiny namespace-aware XML tree built with saxes, for reading answers in tests without
 * regex-parsing documents, and the leaf walk the round-trip comparison uses.
 */
import { SaxesParser } from 'saxes';

export interface XmlElement {
  /** Local name. */
  name: string;
  uri: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Parses a document into a small element tree (namespace-aware, local names). */
export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const [name, attribute] of Object.entries(tag.attributes)) {
      attributes[name] = typeof attribute === 'string' ? attribute : attribute.value;
    }
    const element: XmlElement = {
      name: tag.local,
      uri: tag.uri,
      attributes,
      children: [],
      text: '',
    };
    const parent = stack.at(-1);
    if (parent) parent.children.push(element);
    else root = element;
    stack.push(element);
  });
  const onText = (chunk: string) => {
    const current = stack.at(-1);
    if (current) current.text += chunk;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(xml).close();
  if (!root) throw new Error('no root element');
  return root;
}

/** Child elements named `name`. */
export function children(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

/** Every element at a `/`-separated path of local names below `element`. */
export function findAll(element: XmlElement, elementPath: string): XmlElement[] {
  let current = [element];
  for (const step of elementPath.split('/').filter(Boolean)) {
    current = current.flatMap((e) => children(e, step));
  }
  return current;
}

/** The first element at `elementPath`, if any. */
export function find(element: XmlElement, elementPath: string): XmlElement | undefined {
  return findAll(element, elementPath)[0];
}

/** Text of the first element at `elementPath`, or undefined when there is none. */
export function text(element: XmlElement, elementPath: string): string | undefined {
  return find(element, elementPath)?.text;
}

/** Texts of every element at `elementPath`. */
export function texts(element: XmlElement, elementPath: string): string[] {
  return findAll(element, elementPath).map((e) => e.text);
}

/** One leaf of a document: its indexed path (`Bookings/Booking[1]/…`) and its text. */
export interface Leaf {
  /** Path with 1-based indices among same-named siblings: `Itinerary/Bookings[1]/Booking[2]/…`. */
  path: string;
  /** The same path without indices, for exclusion rules. */
  shape: string;
  name: string;
  value: string;
}

/** Every element without child elements, in document order. */
export function leaves(root: XmlElement): Leaf[] {
  const out: Leaf[] = [];
  const walk = (element: XmlElement, indexed: string, shape: string) => {
    if (element.children.length === 0) {
      out.push({ path: indexed, shape, name: element.name, value: element.text });
      return;
    }
    const seen = new Map<string, number>();
    for (const child of element.children) {
      const index = (seen.get(child.name) ?? 0) + 1;
      seen.set(child.name, index);
      walk(child, `${indexed}/${child.name}[${index}]`, `${shape}/${child.name}`);
    }
  };
  walk(root, root.name, root.name);
  return out;
}
