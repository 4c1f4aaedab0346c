/**
 * The elements a request document carried that the XSD does not define where they stood, which
 * the reader skips with their subtree. Collected so that the answer can name them (the
 * `Itinera-Ignored` header, src/http/ignored-input.ts): a client otherwise never learns that a
 * field it sent was dropped.
 *
 * Only undefined elements count. Content of an `xs:any` element, elements in a foreign namespace
 * (extension content the XSD allows to be ignored) and `xsi:nil` elements are defined input
 * that is legitimately left out, and the inside of a skipped subtree is not listed again.
 */

/** Distinct paths kept; more are only counted (a document has at most 20,000 elements). */
const MAX_PATHS = 200;

/** Paths of undefined elements, below the root, without positions, each once. */
export class IgnoredElements {
  private paths: Set<string> | undefined;
  /** Occurrences not kept once MAX_PATHS distinct paths are. */
  private overflow = 0;

  /**
   * Records an undefined element: `ancestors` are the names of the open elements from the
   * root (left out of the path, since the endpoint names it), `name` the element's own.
   * Allocates only here, so documents with nothing ignored cost nothing.
   */
  add(ancestors: readonly string[], name: string): void {
    const path = ancestors.length > 1 ? `${ancestors.slice(1).join('/')}/${name}` : name;
    this.paths ??= new Set();
    if (this.paths.has(path)) return;
    if (this.paths.size < MAX_PATHS) this.paths.add(path);
    else this.overflow++;
  }

  /** The recorded paths in document order, and how many more were not kept. */
  result(): { paths: readonly string[]; more: number } {
    return { paths: this.paths ? [...this.paths] : [], more: this.overflow };
  }
}
