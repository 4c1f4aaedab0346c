/**
 * The in-memory form of an Itinerary or Booking document, independent of XML syntax.
 *
 * - A leaf element holds its text, already normalised for its XSD type (see `leaf-values.ts`).
 * - A complex element holds an `XmlNode` (element name → value, in insertion order).
 * - A list wrapper (`Bookings`, `Segments`, `Charges`, …) holds `XmlListItem[]`, keeping the
 *   item element name because one wrapper may mix several item types (`<Air>`, `<Car>`, …).
 *
 * This shape is what the services work on and what the database stores as JSON.
 */
export type XmlValue = string | XmlNode | XmlListItem[];

/** A complex element's children, keyed by element name. */
export interface XmlNode {
  [element: string]: XmlValue;
}

/** One item of a list wrapper: its element name and its content. */
export interface XmlListItem {
  element: string;
  node: XmlNode;
}

/** The leaf text of `name` in `node`, or undefined when absent or not a leaf. */
export function leaf(node: XmlNode, name: string): string | undefined {
  const value = node[name];
  return typeof value === 'string' ? value : undefined;
}

/** The items of list wrapper `name` in `node` (empty when absent). */
export function list(node: XmlNode, name: string): XmlListItem[] {
  const value = node[name];
  return Array.isArray(value) ? value : [];
}

/** The complex child `name` of `node`, or undefined. */
export function child(node: XmlNode, name: string): XmlNode | undefined {
  const value = node[name];
  return value !== undefined && typeof value === 'object' && !Array.isArray(value)
    ? value
    : undefined;
}

/** Structural equality of two document values (the reader tolerates identical repeats). */
export function sameValue(a: XmlValue, b: XmlValue): boolean {
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
