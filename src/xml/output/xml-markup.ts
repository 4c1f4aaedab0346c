/**
 * The markup every writer of this layer uses: escaping of text and attribute values (dropping
 * what XML 1.0 cannot carry), element tags made once per checked name, attributes.
 */

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
