/**
 * Types of the element table generated from the Itinerary XSD (`schema.generated.ts`).
 * The XSD is read as data, not used as a validator (SPEC §8.1): every complex type is an
 * unordered choice, so the table records, per complex type, its child elements in the XSD's
 * order (the order we emit), each with its leaf type and facets or its list/complex type.
 */
export type LeafType = 'string' | 'dateTime' | 'decimal' | 'integer' | 'unsignedByte' | 'boolean';

export interface LeafElement {
  kind: 'leaf';
  name: string;
  type: LeafType;
  maxLength?: number;
  /** Exact length facet (`xs:length`). */
  length?: number;
  /** XSD pattern facet, kept for documentation; not enforced (SPEC §8.1, COMPATIBILITY.md). */
  pattern?: string;
  enumeration?: readonly string[];
  /** True when the element is not in the XSD but documented elsewhere (SPEC §8.1). */
  extension?: boolean;
}

export interface ListElement {
  kind: 'list';
  name: string;
  /** Item element name → complex type name, in the XSD's order. */
  items: Readonly<Record<string, string>>;
  extension?: boolean;
}

export interface ComplexElement {
  kind: 'complex';
  name: string;
  type: string;
  extension?: boolean;
}

/** `xs:any` content (e.g. `Warnings`): skipped on input, never emitted. */
export interface AnyElement {
  kind: 'any';
  name: string;
}

export type ElementDef = LeafElement | ListElement | ComplexElement | AnyElement;

export interface ComplexTypeDef {
  name: string;
  /** Child elements in emission order. */
  elements: readonly ElementDef[];
}

export type SchemaTable = Readonly<Record<string, ComplexTypeDef>>;

/** The Concur trip namespace, emitted on every Itinerary document. */
export const TRIP_NAMESPACE = 'http://www.concursolutions.com/api/travel/trip/2010/06';
