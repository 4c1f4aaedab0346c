/**
 * Builds the `XmlNode` document form from saxes events, guided by the element table generated
 * from the XSD (see `xml-reader.ts` for what is accepted and refused).
 *
 * It runs for every element of every trip write, so the per-element work is kept small: the
 * element table becomes look-up maps with a normalizer per leaf once, open elements are frames
 * reused by depth, and element paths (only error messages need them) are built on demand.
 */
import type { SaxesTagPlain } from 'saxes';
import { errors } from '../errors.js';
import { sameValue, type XmlListItem, type XmlNode, type XmlValue } from './document.js';
import { IgnoredElements } from './input/ignored-elements.js';
import { type LeafNormalizer, LeafValueError, leafNormalizer } from './leaf-values.js';
import { REQUEST_ROOTS, type RequestRoot, requestType } from './request-roots.js';
import { type ElementDef, TRIP_NAMESPACE } from './schema.js';
import { NamespaceScopes } from './xml-namespaces.js';

/** No namespace (the XSD and the Booking sample), the trip namespace, and its https variant. */
const ACCEPTED_NAMESPACES: ReadonlySet<string> = new Set([
  '',
  TRIP_NAMESPACE,
  TRIP_NAMESPACE.replace(/^http:/, 'https:'),
]);
/**
 * A child element of a complex type, ready for reading. Names are the table's own strings:
 * as object keys they are already internalized, where the parser's copies would have to be
 * looked up in V8's string table on every store.
 */
interface Rule {
  name: string;
  def: ElementDef;
  /** Leaves: the value normalizer. */
  normalize?: LeafNormalizer;
  /** Lists: item element name → the item's name and type. */
  items?: ReadonlyMap<string, { name: string; type: string }>;
}

/** Child element name → rule, per complex type. */
type TypeRules = ReadonlyMap<string, Rule>;

const rulesByType = new Map<string, TypeRules>();

function ruleOf(def: ElementDef): Rule {
  if (def.kind === 'leaf') return { name: def.name, def, normalize: leafNormalizer(def) };
  if (def.kind !== 'list') return { name: def.name, def };
  const items = Object.entries(def.items).map(([name, type]) => [name, { name, type }] as const);
  return { name: def.name, def, items: new Map(items) };
}

/** The rules of a complex type's children, built once per type. */
function rulesFor(typeName: string): TypeRules {
  let rules = rulesByType.get(typeName);
  if (!rules) {
    const def = requestType(typeName);
    if (!def) throw new Error(`Unknown schema type ${typeName}`);
    rules = new Map(def.elements.map((e) => [e.name, ruleOf(e)]));
    rulesByType.set(typeName, rules);
  }
  return rules;
}

const COMPLEX = 0;
const ITEM = 1;
const LIST = 2;
const LEAF = 3;

/** An open element we keep. One object per depth, reused, so all frames share one shape. */
class Frame {
  kind = COMPLEX;
  name = '';
  /** COMPLEX and ITEM: the element's node and the rules of its children. */
  node: XmlNode = {};
  rules: TypeRules | undefined;
  /** LIST: its rule and items (shared by repeated wrappers of one list). */
  list: Rule | undefined;
  items: XmlListItem[] = [];
  /** ITEM: how many items its list held when it opened, for its `Name[n]` in paths. */
  position = 0;
  /** LEAF: its normalizer and text so far. */
  normalize: LeafNormalizer | undefined;
  text = '';

  /** Makes this a COMPLEX or ITEM frame's content. */
  holding(node: XmlNode, rules: TypeRules): Frame {
    this.node = node;
    this.rules = rules;
    return this;
  }
}
/** True for the usual text between elements: spaces, tabs and line breaks only. */
function isIndentation(chunk: string): boolean {
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/** Builds one document from saxes events: one builder per parse. */
export class DocumentBuilder {
  result: XmlNode | undefined;
  private readonly frames: Frame[] = [];
  /** Open frames: `frames[0 … depth-1]`. */
  private depth = 0;
  /** Open elements being skipped (unknown, foreign, nil) below the last frame. */
  private skipDepth = 0;
  private elementCount = 0;
  private readonly scopes = new NamespaceScopes();
  /** The last namespace checked and the answer: nearly all elements share one string. */
  private lastUri = '';
  private lastAccepted = true;
  /**
   * Whether the element being opened has attributes (saxes reports each one first). Most have
   * none, and walking saxes' attribute object, a dictionary, costs even when it is empty.
   */
  private attributesSeen = false;
  /** Undefined elements met, for the answer to name (input/ignored-elements.ts). */
  readonly ignored = new IgnoredElements();

  constructor(
    private readonly expectedRoot: RequestRoot,
    private readonly maxDepth: number,
    private readonly maxElements: number,
  ) {}

  open(tag: SaxesTagPlain): void {
    if (++this.elementCount > this.maxElements) {
      throw errors.badRequest(`The document has more than ${this.maxElements} elements.`);
    }
    if (this.depth + this.skipDepth + 1 > this.maxDepth) {
      throw errors.badRequest(`The document nests elements deeper than ${this.maxDepth} levels.`);
    }
    const hasAttributes = this.attributesSeen;
    this.attributesSeen = false;
    if (hasAttributes) this.scopes.enter(tag.attributes);
    else this.scopes.enterBare();
    if (this.skipDepth > 0) {
      this.skipDepth++;
      return;
    }
    const qualified = tag.name;
    const colon = qualified.indexOf(':');
    const name = colon < 0 ? qualified : qualified.slice(colon + 1);
    const prefix = colon < 0 ? '' : qualified.slice(0, colon);
    const uri = this.scopes.resolve(prefix);
    if (uri === undefined) throw errors.malformedXml(`unbound namespace prefix '${prefix}'`);
    if (this.depth === 0) {
      const root = REQUEST_ROOTS[this.expectedRoot];
      if (name !== root.element) throw errors.wrongRoot(root.element, qualified);
      if (!ACCEPTED_NAMESPACES.has(uri))
        throw errors.wrongRootNamespace(qualified, TRIP_NAMESPACE, uri);
      this.result = {};
      this.push(COMPLEX, name).holding(this.result, rulesFor(root.type));
      return;
    }
    const parent = this.frames[this.depth - 1] as Frame;
    if (parent.kind === LEAF) {
      throw errors.invalidValue(this.pathTo(this.depth), 'must hold text only, not child elements');
    }
    if (!this.accepts(uri) || (hasAttributes && this.scopes.isNil(tag.attributes))) {
      this.skipDepth = 1;
      return;
    }
    if (parent.kind === LIST) {
      const item = parent.list?.items?.get(name);
      if (item === undefined) {
        this.skipUndefined(name);
        return;
      }
      const frame = this.push(ITEM, item.name).holding({}, rulesFor(item.type));
      frame.position = parent.items.length;
      return;
    }
    const rule = parent.rules?.get(name);
    const def = rule?.def;
    if (rule === undefined || def === undefined) {
      this.skipUndefined(name);
    } else if (def.kind === 'any') {
      this.skipDepth = 1;
    } else if (def.kind === 'leaf') {
      const frame = this.push(LEAF, rule.name);
      frame.normalize = rule.normalize;
      frame.text = '';
    } else if (def.kind === 'complex') {
      this.push(COMPLEX, rule.name).holding({}, rulesFor(def.type));
    } else {
      // A repeated wrapper continues the same list (every wrapper is maxOccurs="unbounded").
      const existing = parent.node[rule.name];
      const frame = this.push(LIST, rule.name);
      frame.list = rule;
      frame.items = Array.isArray(existing) ? existing : [];
    }
  }

  /** An attribute of the element about to open. */
  attribute(): void {
    this.attributesSeen = true;
  }

  text(chunk: string): void {
    if (this.skipDepth > 0 || this.depth === 0) return;
    const frame = this.frames[this.depth - 1] as Frame;
    if (frame.kind === LEAF) frame.text += chunk;
    else if (!isIndentation(chunk) && /\S/.test(chunk)) {
      throw errors.invalidValue(this.pathTo(this.depth), 'must hold child elements, not text');
    }
  }

  close(): void {
    this.scopes.leave();
    if (this.skipDepth > 0) {
      this.skipDepth--;
      return;
    }
    const depth = this.depth--;
    if (depth < 2) return; // the root: `result` already holds it
    const frame = this.frames[depth - 1] as Frame;
    const parent = this.frames[depth - 2] as Frame;
    if (frame.kind === ITEM) {
      parent.items.push({ element: frame.name, node: frame.node });
    } else if (frame.kind === LEAF) {
      const value = this.leafValue(frame, depth);
      if (value !== undefined) this.setOnce(parent.node, frame.name, value, depth);
    } else if (frame.kind === COMPLEX) {
      this.setOnce(parent.node, frame.name, frame.node, depth);
    } else if (frame.items.length > 0 && parent.node[frame.name] !== frame.items) {
      // Set when the first items arrive: an empty wrapper (`<RuleViolations />`) carries
      // nothing and stays absent, like an empty number.
      parent.node[frame.name] = frame.items;
    }
  }

  /** Skips an element the XSD does not define here, noting its path. */
  private skipUndefined(name: string): void {
    this.skipDepth = 1;
    this.ignored.add(
      this.frames.slice(0, this.depth).map((frame) => frame.name),
      name,
    );
  }

  private accepts(uri: string): boolean {
    if (uri !== this.lastUri) {
      this.lastUri = uri;
      this.lastAccepted = ACCEPTED_NAMESPACES.has(uri);
    }
    return this.lastAccepted;
  }

  private leafValue(frame: Frame, depth: number): string | undefined {
    try {
      return frame.normalize?.(frame.text);
    } catch (error) {
      if (error instanceof LeafValueError) {
        throw errors.invalidValue(this.pathTo(depth), error.message);
      }
      throw error;
    }
  }

  /** Stores a leaf or complex child, refusing a second, different occurrence. */
  private setOnce(node: XmlNode, name: string, value: XmlValue, depth: number): void {
    const previous = node[name];
    if (previous !== undefined && !sameValue(previous, value)) {
      throw errors.invalidValue(this.pathTo(depth), 'appears more than once');
    }
    node[name] = value;
  }

  private push(kind: number, name: string): Frame {
    let frame = this.frames[this.depth];
    if (!frame) {
      frame = new Frame();
      this.frames.push(frame);
    }
    this.depth++;
    frame.kind = kind;
    frame.name = name;
    return frame;
  }

  /** `Itinerary/Bookings/Booking[2]/Segments/Air[1]/…` for the frames up to `depth`. */
  private pathTo(depth: number): string {
    const steps: string[] = [];
    for (let i = 0; i < depth; i++) {
      const frame = this.frames[i] as Frame;
      if (frame.kind !== ITEM) {
        steps.push(frame.name);
        continue;
      }
      // XPath numbering among the list's items of the same name.
      const before = (this.frames[i - 1] as Frame).items.slice(0, frame.position);
      const index = before.filter((item) => item.element === frame.name).length + 1;
      steps.push(`${frame.name}[${index}]`);
    }
    return steps.join('/');
  }
}
