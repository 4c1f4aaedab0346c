/**
 * The TripIt answer read back as a plain element tree, for the TripIt presenter's unit tests:
 * saxes parses it (so every case also checks well-formedness), indentation is dropped, and an
 * element keeps its text only when it has no children.
 */
import { SaxesParser } from 'saxes';
import { expect } from 'vitest';

/** An element: its children, or its text when it has none (indentation is dropped). */
export interface El {
  name: string;
  children: El[];
  text: string;
}

/** Parses a whole document; its root element (asserting there is exactly one). */
export function parse(xml: string): El {
  const parser = new SaxesParser(); // throws on any well-formedness error
  const top: El = { name: '', children: [], text: '' };
  const stack = [top];
  parser.on('opentag', (tag) => {
    const el: El = { name: tag.name, children: [], text: '' };
    stack.at(-1)!.children.push(el);
    stack.push(el);
  });
  parser.on('text', (text) => {
    stack.at(-1)!.text += text;
  });
  parser.on('closetag', () => {
    const el = stack.pop()!;
    if (el.children.length > 0) el.text = '';
  });
  parser.write(xml).close();
  expect(top.children).toHaveLength(1);
  return top.children[0]!;
}

/** Children named `name`. */
export function all(el: El, name: string): El[] {
  return el.children.filter((c) => c.name === name);
}

/** The `index`-th child named `name`; throws when there is none. */
export function one(el: El, name: string, index = 0): El {
  const found = all(el, name)[index];
  if (!found) throw new Error(`no ${name}[${index}] in ${el.name}`);
  return found;
}

/** Leaf values of an element's leaf children, by name. */
export function leaves(el: El): Record<string, string> {
  return Object.fromEntries(
    el.children.filter((c) => !c.children.length).map((c) => [c.name, c.text]),
  );
}

/** Names of an element's children, in order. */
export function names(el: El): string[] {
  return el.children.map((c) => c.name);
}
