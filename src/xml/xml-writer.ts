/**
 * A small, fast XML serializer for the document form (`XmlNode`): plain string building, compact
 * output (no indentation). With a schema type the children are written in the XSD's order, which
 * is the order the service emits; without one in insertion order. The answers themselves are
 * output documents (`output/xml-output.ts`), whose writer calls the content writers here.
 *
 * Every text and attribute value goes through the escapes of `output/xml-markup.ts`, and every
 * element name through its `tagsOf`, which refuses anything that is not a plain XML name: names
 * come from code (schema table, presenters), never from data.
 */
import type { XmlListItem, XmlNode, XmlValue } from './document.js';
import { escapeXmlText, type Tags, tagsOf } from './output/xml-markup.js';
import { SCHEMA } from './schema.generated.js';
import type { ComplexTypeDef, ElementDef } from './schema.js';

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
    // Documented extensions (`extension: true`, not in the XSD) are accepted and stored but
    // never written: clients validating answers against the published XSD fail on them
    // (COMPATIBILITY.md). Leaving them out of `positions` skips them at no cost per answer.
    const positions = new Map<string, number>();
    type.elements.forEach((e, i) => {
      if (!('extension' in e && e.extension)) positions.set(e.name, i);
    });
    plan = {
      positions,
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
 * an enclosing element: elements not in the schema, the documented extensions the XSD lacks and
 * (unless `keepEmptyLists`) empty lists are left out, '' leaves become `<Name />`. Throws on an unknown type name (a programming error).
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
