/**
 * Checks a document against the published Itinerary XSD as a schema-validating client would:
 * every element must be one the XSD defines where it stands, and each leaf's text must be of
 * its XSD type (dateTime, decimal, integer, unsignedByte, boolean) and within its length.
 * The XSD's structure is read from the generated element table (`schema.generated.ts`, kept
 * equal to the XSD by its own test) less the documented extensions it marks, which the XSD
 * lacks. As SPEC §8.1 says, element order is free and the unenforced `minOccurs` are not
 * checked, nor the `^…$` patterns no value can match; namespaces are ignored (the XSD has no
 * target namespace, Concur's answers use the trip namespace).
 */
import { ROOT_TYPES, SCHEMA } from '../../src/xml/schema.generated.js';
import type { ElementDef, LeafElement } from '../../src/xml/schema.js';
import { parseXml, type XmlElement } from './xml-tree.js';

const LEXICAL: Record<string, RegExp> = {
  dateTime: /^-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$/,
  decimal: /^[+-]?(\d+(\.\d*)?|\.\d+)$/,
  integer: /^[+-]?\d+$/,
  unsignedByte: /^\+?\d+$/,
  boolean: /^(true|false|1|0)$/,
};

function leafProblems(element: XmlElement, def: LeafElement, path: string): string[] {
  if (element.children.length > 0) return [`${path}: a leaf with child elements`];
  // xsi:nil="true" elements are empty by definition.
  if (element.attributes['xsi:nil'] === 'true') return [];
  const value = element.text.trim();
  const lexical = LEXICAL[def.type];
  if (lexical && !lexical.test(value)) return [`${path}: '${value}' is not an xs:${def.type}`];
  if (def.type === 'unsignedByte' && Number(value) > 255) return [`${path}: ${value} > 255`];
  if (def.maxLength !== undefined && [...element.text].length > def.maxLength) {
    return [`${path}: longer than ${def.maxLength}`];
  }
  return [];
}

function typeProblems(element: XmlElement, typeName: string, path: string): string[] {
  const type = SCHEMA[typeName];
  if (!type) return [`${path}: unknown type ${typeName}`];
  const defs = new Map<string, ElementDef>();
  for (const def of type.elements) {
    if (!('extension' in def && def.extension)) defs.set(def.name, def);
  }
  const problems: string[] = [];
  for (const child of element.children) {
    const at = `${path}/${child.name}`;
    const def = defs.get(child.name);
    if (!def) {
      problems.push(`${at}: not defined by the XSD in ${typeName}`);
    } else if (def.kind === 'leaf') {
      problems.push(...leafProblems(child, def, at));
    } else if (def.kind === 'complex') {
      problems.push(...typeProblems(child, def.type, at));
    } else if (def.kind === 'list') {
      for (const item of child.children) {
        const itemType = def.items[item.name];
        if (itemType) problems.push(...typeProblems(item, itemType, `${at}/${item.name}`));
        else problems.push(`${at}/${item.name}: not an item of ${child.name}`);
      }
    }
  }
  return problems;
}

/**
 * What makes `xml` invalid against the published XSD, one line each (none: valid). `allow`
 * names child elements of the root checked as a root of their own instead (the booking POST
 * answer's `<Booking>` directly under `<Itinerary>`, COMPATIBILITY.md).
 */
export function xsdProblems(xml: string, options: { allow?: readonly string[] } = {}): string[] {
  const root = parseXml(xml);
  const rootType = ROOT_TYPES[root.name as keyof typeof ROOT_TYPES];
  if (!rootType) return [`/${root.name}: not a root element of the XSD`];
  const allowed = new Set(options.allow ?? []);
  const kept = root.children.filter((c) => !allowed.has(c.name));
  const problems = typeProblems({ ...root, children: kept }, rootType, `/${root.name}`);
  for (const child of root.children) {
    const childType = ROOT_TYPES[child.name as keyof typeof ROOT_TYPES];
    if (allowed.has(child.name) && childType) {
      problems.push(...typeProblems(child, childType, `/${root.name}/${child.name}`));
    }
  }
  return problems;
}
