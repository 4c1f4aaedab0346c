/**
 * The published payloads (reference/concur/samples) through reader and writer:
 * every request sample parses, nothing the schema knows is lost, and parse → write → parse is
 * the identity but for the documented extensions the XSD lacks, which answers leave out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import type { XmlNode, XmlValue } from './document.js';
import { normalizeLeaf } from './leaf-values.js';
import { typedElement, xmlDocument } from './output/xml-output.js';
import { writeXml } from './output/xml-output-writer.js';
import { ROOT_TYPES, SCHEMA } from './schema.generated.js';
import type { ElementDef, LeafElement } from './schema.js';
import { TRIP_NAMESPACE } from './schema.js';
import { parseXmlDocument } from './xml-reader.js';

const SAMPLES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../reference/concur/samples',
);
type Root = 'Itinerary' | 'Booking';

function rootOf(xml: string): Root {
  const parser = new SaxesParser({ xmlns: true });
  let root = '';
  parser.on('opentag', (tag) => {
    root ||= tag.local;
  });
  parser.write(xml).close();
  if (root !== 'Itinerary' && root !== 'Booking') throw new Error(`unexpected root ${root}`);
  return root;
}

// The UpdateCoupon request is a `<Booking>` of its own type, not the XSD's (test/itineraries/bookings/update-coupon-request.test.ts).
const requestSamples = readdirSync(SAMPLES)
  .filter((f) => f.endsWith('.xml') && f.includes('request') && !f.includes('update-coupon'))
  .sort()
  .map((file) => {
    const xml = readFileSync(path.join(SAMPLES, file), 'utf8');
    return { file, xml, root: rootOf(xml) };
  });

/** Itinerary-rooted response samples that are well-formed (cancel-booking's is not, SPEC §0.1). */
const responseSamples = readdirSync(SAMPLES)
  .filter((f) => f.endsWith('-response.xml'))
  .map((file) => ({ file, xml: readFileSync(path.join(SAMPLES, file), 'utf8') }))
  .filter(({ xml }) => /^(<\?xml[^>]*>\s*)?<Itinerary[\s>]/.test(xml));

interface SampleLeaf {
  /** Steps into the parsed node: element names, and 0-based item positions inside lists. */
  steps: (string | number)[];
  def: LeafElement;
  text: string;
}

/**
 * Walks a sample independently of the reader (generic saxes walk + schema lookups) and collects
 * every leaf the schema knows, with where it must end up in the parsed document.
 */
function schemaLeaves(xml: string, root: Root): SampleLeaf[] {
  type Ctx = { type?: string; list?: Readonly<Record<string, string>>; count: number } | null;
  const leaves: SampleLeaf[] = [];
  const ctx: Ctx[] = [];
  const steps: (string | number)[] = [];
  let current: { def: LeafElement; text: string; children: number } | undefined;
  const parser = new SaxesParser({ xmlns: true });
  parser.on('opentag', (tag) => {
    if (current) current.children++;
    const parent = ctx.at(-1);
    if (ctx.length === 0) {
      ctx.push({ type: ROOT_TYPES[root], count: 0 });
      return;
    }
    if (!parent) return void ctx.push(null);
    if (parent.list) {
      const type = parent.list[tag.local];
      steps.push(parent.count++, 'node');
      return void ctx.push(type ? { type, count: 0 } : null);
    }
    const def: ElementDef | undefined = SCHEMA[parent.type ?? '']?.elements.find(
      (e) => e.name === tag.local,
    );
    steps.push(tag.local);
    if (def?.kind === 'leaf') current = { def, text: '', children: 0 };
    if (def?.kind === 'list') return void ctx.push({ list: def.items, count: 0 });
    ctx.push(def?.kind === 'complex' ? { type: def.type, count: 0 } : null);
  });
  parser.on('text', (t) => {
    if (current) current.text += t;
  });
  parser.on('closetag', () => {
    const parent = ctx.at(-2);
    ctx.pop();
    if (current && current.children === 0 && steps.at(-1) === current.def.name) {
      leaves.push({ steps: [...steps], def: current.def, text: current.text });
    }
    current = undefined;
    if (parent === undefined) return;
    steps.pop();
    if (parent?.list) steps.pop();
  });
  parser.write(xml).close();
  return leaves;
}

function at(node: XmlNode, steps: (string | number)[]): XmlValue | undefined {
  let value: unknown = node;
  for (const step of steps) value = (value as Record<string | number, unknown>)?.[step];
  return value as XmlValue | undefined;
}

/** Drops empty lists, which the writer leaves out by default. */
function withoutEmptyLists(value: XmlValue): XmlValue {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    return value.map((item) => ({
      element: item.element,
      node: withoutEmptyLists(item.node) as XmlNode,
    }));
  }
  const out: XmlNode = {};
  for (const [k, v] of Object.entries(value)) {
    if (!(Array.isArray(v) && v.length === 0)) out[k] = withoutEmptyLists(v);
  }
  return out;
}

/**
 * `node` (of schema type `typeName`) without the documented extensions the XSD lacks, which the
 * reader keeps and the writer leaves out of answers.
 */
function withoutExtensions(node: XmlNode, typeName: string): XmlNode {
  const defs = new Map((SCHEMA[typeName]?.elements ?? []).map((def) => [def.name, def]));
  const out: XmlNode = {};
  for (const [name, value] of Object.entries(node)) {
    const def = defs.get(name);
    if (def && 'extension' in def && def.extension) continue;
    if (def?.kind === 'list' && Array.isArray(value)) {
      out[name] = value.map((item) => ({
        element: item.element,
        node: withoutExtensions(item.node, def.items[item.element] ?? ''),
      }));
    } else if (def?.kind === 'complex' && typeof value === 'object' && !Array.isArray(value)) {
      out[name] = withoutExtensions(value, def.type);
    } else {
      out[name] = value;
    }
  }
  return out;
}

function countLeaves(value: XmlValue): number {
  if (typeof value === 'string') return 1;
  if (Array.isArray(value)) return value.reduce((n, item) => n + countLeaves(item.node), 0);
  return Object.values(value).reduce((n, v) => n + countLeaves(v), 0);
}

describe('request samples', () => {
  it('finds the request samples', () => {
    expect(requestSamples.map((s) => s.file)).toEqual([
      'post-booking-request-tmc-thirdparty-variant.xml',
      'post-booking-request.xml',
      'post-trip-agency-proposal-request.xml',
      'post-trip-tmc-request.xml',
      'post-trip-triplink-supplier-request.xml',
      'supplier-air-post-booking-ticketed-request.xml',
      'tmc-guide-post-trip-request.xml',
    ]);
  });

  describe.each(requestSamples)('$file', ({ xml, root }) => {
    const node = parseXmlDocument(xml, root);

    it('keeps every leaf the schema knows, normalised, and nothing else', () => {
      const leaves = schemaLeaves(xml, root);
      expect(leaves.length).toBeGreaterThan(5);
      let present = 0;
      for (const { steps, def, text } of leaves) {
        const expected = normalizeLeaf(def, text, steps.join('/'));
        expect(at(node, steps), steps.join('/')).toBe(expected);
        if (expected !== undefined) present++;
      }
      expect(countLeaves(node)).toBe(present);
    });

    it('round-trips through the writer', () => {
      const typeName = ROOT_TYPES[root];
      const full = writeXml(
        xmlDocument(typedElement(root, node, { typeName, keepEmptyLists: true })),
      );
      // Answers leave out the documented extensions the XSD lacks (COMPATIBILITY.md).
      const written = withoutExtensions(node, typeName);
      expect(parseXmlDocument(full, root)).toEqual(written);
      const compact = writeXml(
        xmlDocument(typedElement(root, node, { typeName, namespace: TRIP_NAMESPACE })),
      );
      expect(parseXmlDocument(compact, root)).toEqual(withoutEmptyLists(written));
    });

    it('reads the same with no namespace, the trip namespace and its https variant', () => {
      const bare = xml.replace(` xmlns="${TRIP_NAMESPACE}"`, '');
      const attrs = `<${root} xmlns="${TRIP_NAMESPACE}"`;
      const namespaced = bare.replace(`<${root}`, attrs);
      const https = bare.replace(`<${root}`, attrs.replace('http:', 'https:'));
      expect(parseXmlDocument(bare, root)).toEqual(node);
      expect(parseXmlDocument(namespaced, root)).toEqual(node);
      expect(parseXmlDocument(https, root)).toEqual(node);
    });
  });

  it('reads the documented quirks of the TripLink sample (SPEC §10 items 10, 11)', () => {
    const sample = requestSamples.find((s) => s.file.includes('triplink'));
    const node = parseXmlDocument(sample?.xml ?? '', 'Itinerary');
    expect(node.TripStatus).toBe('HK');
    expect(JSON.stringify(node)).toContain('"TimeZoneId":"Pacific"');
  });

  it('keeps the wall-clock time of an offset local date (TMC guide DateBookedLocal)', () => {
    const sample = requestSamples.find((s) => s.file.startsWith('tmc-guide'));
    const node = parseXmlDocument(sample?.xml ?? '', 'Itinerary');
    expect(node.DateBookedLocal).toBe('2020-01-06T00:00:00');
    expect(node.IsDemoTrip).toBeUndefined();
    expect(node.ExternalLinks).toBeUndefined();
  });
});

describe('Itinerary response samples', () => {
  it.each(responseSamples)('$file parses and round-trips', ({ xml }) => {
    const node = parseXmlDocument(xml, 'Itinerary');
    expect(node.TripName).toBeTypeOf('string');
    const out = writeXml(
      xmlDocument(
        typedElement('Itinerary', node, { typeName: 'ItineraryType', keepEmptyLists: true }),
      ),
    );
    expect(parseXmlDocument(out, 'Itinerary')).toEqual(withoutExtensions(node, 'ItineraryType'));
  });
});
