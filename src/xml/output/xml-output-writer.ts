/**
 * Serializes output documents (`xml-output.ts`): compact, no indentation, every text and
 * attribute value escaped, typed and field content written by the `XmlNode` writers of
 * `../xml-writer.ts`, serialized content emitted verbatim.
 */
import { writeFreeContent, writeTypedContent, XML_DECLARATION } from '../xml-writer.js';
import { encloseWith, escapeXmlText, tagsOf, writeAttributes } from './xml-markup.js';
import type { XmlContent, XmlDocument, XmlElement } from './xml-output.js';

/** The document as sent: the XML declaration, then its element. */
export function writeXml(document: XmlDocument): string {
  return XML_DECLARATION + writeElement(document.root);
}

/**
 * Content without an enclosing element: the form to store and later hand back through
 * `serializedContent` (a trip's stored rendering, for one).
 */
export function writeXmlContent(content: readonly XmlContent[]): string {
  let out = '';
  for (const item of content) out += writeItem(item);
  return out;
}

function writeElement(element: XmlElement): string {
  const attrs = element.attributes === undefined ? '' : writeAttributes(element.attributes);
  return encloseWith(tagsOf(element.name), attrs, writeXmlContent(element.content));
}

function writeItem(item: XmlContent): string {
  if (typeof item === 'string') return escapeXmlText(item);
  switch (item.kind) {
    case 'element':
      return writeElement(item);
    case 'fields':
      return writeFreeContent(item.node);
    case 'typed':
      return writeTypedContent(item.node, item.typeName, item.keepEmptyLists);
    case 'serialized':
      return item.xml;
  }
}
