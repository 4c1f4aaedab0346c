/**
 * Namespace prefixes in scope while reading, resolved by us rather than by saxes' xmlns mode,
 * which costs a fifth of the parse. Nearly every element has no attributes and no prefix, so
 * the default namespace in scope is kept per depth and found without a walk.
 */
const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';

export class NamespaceScopes {
  /** Per open element: its own declarations (prefix → URI, '' the default), or null. */
  private readonly declared: (Map<string, string> | null)[] = [];
  /** Per open element: the default namespace in scope. */
  private readonly defaults: string[] = [];

  /** Enters an element, recording the `xmlns`/`xmlns:p` declarations among its attributes. */
  enter(attributes: Record<string, string>): void {
    let declared: Map<string, string> | null = null;
    for (const name in attributes) {
      if (name === 'xmlns' || name.startsWith('xmlns:')) {
        declared ??= new Map();
        declared.set(name === 'xmlns' ? '' : name.slice(6), attributes[name] ?? '');
      }
    }
    const inherited = this.defaults[this.defaults.length - 1] ?? '';
    this.declared.push(declared);
    this.defaults.push(declared?.get('') ?? inherited);
  }

  /** Enters an element without attributes, hence without declarations. */
  enterBare(): void {
    this.declared.push(null);
    this.defaults.push(this.defaults[this.defaults.length - 1] ?? '');
  }

  leave(): void {
    this.declared.pop();
    this.defaults.pop();
  }

  /** The namespace of a prefix ('' for the default namespace); undefined when unbound. */
  resolve(prefix: string): string | undefined {
    if (prefix === '') return this.defaults[this.defaults.length - 1] ?? '';
    if (prefix === 'xml') return XML_NAMESPACE;
    for (let i = this.declared.length - 1; i >= 0; i--) {
      const uri = this.declared[i]?.get(prefix);
      if (uri !== undefined) return uri;
    }
    return undefined;
  }

  /** `xsi:nil="true"` among the attributes (with any prefix bound to the XSI namespace). */
  isNil(attributes: Record<string, string>): boolean {
    for (const name in attributes) {
      const colon = name.indexOf(':');
      if (colon <= 0 || name.slice(colon + 1) !== 'nil') continue;
      if (this.resolve(name.slice(0, colon)) === XSI_NAMESPACE) {
        const v = (attributes[name] ?? '').trim();
        return v === 'true' || v === '1';
      }
    }
    return false;
  }
}
