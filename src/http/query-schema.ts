/**
 * TypeBox builders for Concur query parameters, and the conversion of the text a client sent
 * into the typed values those schemas describe.
 *
 * A query schema is a `Type.Object` whose property names are lower-case (the names are
 * case-insensitive on the wire, see `concurQuery` in query-parameters.ts). Each builder records
 * in the schema how the text is read (`wireFormat`) and the message of the 400 a bad value gets
 * (`invalidMessage`, `missingMessage`, with `{value}` standing for the value as sent and
 * `{trimmed}` for it without surrounding white space). Ajv
 * ignores these three keywords (AJV_OPTIONS declares them); `concurQuery` converts before Ajv
 * validates, and `validationAppError` (schema-validation.ts) turns a failure into that message.
 *
 * Conversion is strict on purpose, stricter than Ajv's `coerceTypes` (which would take ` 5`,
 * `1e2` or `0x10` for 5, 100 and 16): a value that does not read is left as text and fails the
 * schema's type, so the client hears the parameter's own message.
 */
import {
  type TBoolean,
  type TInteger,
  type TNumber,
  type TObject,
  type TSchema,
  type TString,
  type TUnsafe,
  Type,
} from '@sinclair/typebox';
import { parseQueryDate } from '../domain/dates.js';

/** Schema keywords that only annotate: Ajv must accept them (AJV_OPTIONS) and ignore them. */
export const ANNOTATION_KEYWORDS = ['wireFormat', 'invalidMessage', 'missingMessage'] as const;

/**
 * What a typed value of only white space means once trimmed: not sent (the default), or a bad
 * value answered with the parameter's `invalid` message (an empty value is absent either way).
 */
export type BlankValue = 'absent' | 'invalid';

/** How the text of one parameter is read. */
export type WireFormat =
  /** Kept as sent (trimmed when asked); an empty value stays empty. */
  | { kind: 'text'; trim: boolean }
  /** Decimal digits only (no sign, no exponent, no spaces unless trimmed). */
  | { kind: 'integer'; trim: boolean; blank: BlankValue }
  /** `true`/`false` in any case; also `1`/`0` with `digits`. */
  | { kind: 'boolean'; trim: boolean; blank: BlankValue; digits: boolean }
  /** One of `values`, in any case; becomes the value as listed. */
  | { kind: 'enum'; trim: boolean; blank: BlankValue; values: readonly string[] }
  /** `YYYY-MM-DD` or `YYYY/MM/DD`, optionally with `Thh:mm[:ss]` (parseQueryDate). */
  | { kind: 'date' };

/**
 * The messages of a parameter's 400s; `{value}` stands for the value as the client sent it,
 * `{trimmed}` for that value without surrounding white space.
 */
export interface ParameterMessages {
  /** When the value does not read or breaks a bound. */
  invalid?: string;
  /** When a required parameter is absent (or empty, for typed parameters). */
  missing?: string;
  /** What the parameter means, for the OpenAPI document. */
  description?: string;
}

interface Trimmable {
  /** Trim surrounding white space first; an all-blank typed value then counts as absent. */
  trim?: boolean;
}

interface TypedTrimmable extends Trimmable {
  /** With `trim`: whether an all-blank value is absent (the default) or refused. */
  blank?: BlankValue;
}

function annotations(wire: WireFormat, messages: ParameterMessages) {
  return {
    wireFormat: wire,
    ...(messages.invalid !== undefined ? { invalidMessage: messages.invalid } : {}),
    ...(messages.missing !== undefined ? { missingMessage: messages.missing } : {}),
    ...(messages.description !== undefined ? { description: messages.description } : {}),
  };
}

/** A text parameter (ids, names, login ids), optionally trimmed and of bounded length. */
export function QueryText(
  options: ParameterMessages & Trimmable & { minLength?: number } = {},
): TString {
  const { trim = false, minLength, ...messages } = options;
  return Type.String({
    ...(minLength !== undefined ? { minLength } : {}),
    ...annotations({ kind: 'text', trim }, messages),
  });
}

/** A whole number within bounds, written in decimal digits. */
export function QueryInteger(
  options: ParameterMessages & TypedTrimmable & { minimum: number; maximum: number },
): TInteger {
  const { trim = false, blank = 'absent', minimum, maximum, ...messages } = options;
  return Type.Integer({
    minimum,
    maximum,
    ...annotations({ kind: 'integer', trim, blank }, messages),
  });
}

/** A flag: `true`/`false` in any case, and `1`/`0` when `digits` is set. */
export function QueryBoolean(
  options: ParameterMessages & TypedTrimmable & { digits?: boolean } = {},
): TBoolean {
  const { trim = false, blank = 'absent', digits = false, ...messages } = options;
  return Type.Boolean(annotations({ kind: 'boolean', trim, blank, digits }, messages));
}

/** One of a list of names, matched in any case; the handler gets the name as listed. */
export function QueryEnum<const T extends readonly string[]>(
  values: T,
  options: ParameterMessages & TypedTrimmable = {},
): TUnsafe<T[number]> {
  const { trim = false, blank = 'absent', ...messages } = options;
  return Type.Unsafe<T[number]>({
    type: 'string',
    enum: [...values],
    ...annotations({ kind: 'enum', trim, blank, values }, messages),
  });
}

/** A query date: the instant (UTC, epoch ms) and whether the client gave a time of day. */
export interface QueryDateValue {
  ms: number;
  hasTime: boolean;
}

/** A date as `YYYY-MM-DD` or `YYYY/MM/DD` (SPEC §2.1), optionally with `Thh:mm[:ss]`. */
export function QueryDate(
  options: ParameterMessages = {},
): TObject<{ ms: TNumber; hasTime: TBoolean }> {
  return Type.Object(
    { ms: Type.Number(), hasTime: Type.Boolean() },
    annotations({ kind: 'date' }, options),
  );
}

/** An absent value: the parameter is left out of the converted query. */
const ABSENT = Symbol('absent');

function convert(raw: string, wire: WireFormat): unknown {
  if (wire.kind === 'date') {
    if (raw === '') return ABSENT;
    return parseQueryDate(raw) ?? raw;
  }
  const text = wire.trim ? raw.trim() : raw;
  if (wire.kind === 'text') return text;
  // Every route has always read an empty flag, number or name as "not sent".
  if (raw === '') return ABSENT;
  // Left as text, a blank value fails the schema's type.
  if (text === '') return wire.blank === 'absent' ? ABSENT : raw;
  switch (wire.kind) {
    case 'integer':
      return /^\d+$/.test(text) ? Number(text) : raw;
    case 'boolean': {
      const lower = text.toLowerCase();
      if (lower === 'true' || (wire.digits && lower === '1')) return true;
      if (lower === 'false' || (wire.digits && lower === '0')) return false;
      return raw;
    }
    case 'enum': {
      const lower = text.toLowerCase();
      return wire.values.find((value) => value.toLowerCase() === lower) ?? raw;
    }
  }
}

/** Turns parameters by lower-case name into the values a query schema validates. */
export type QueryConverter = (sent: Readonly<Record<string, string>>) => Record<string, unknown>;

/**
 * Compiles the conversion of a query schema. Parameters the schema does not declare stay as
 * text (clients send extra ones; they are ignored, not refused). Throws at start-up for a
 * property name that is not lower-case, since no parameter could ever reach it.
 */
export function compileQueryConverter(schema: TObject): QueryConverter {
  const rules: [string, WireFormat][] = [];
  for (const [name, property] of Object.entries(schema.properties as Record<string, TSchema>)) {
    if (name !== name.toLowerCase()) {
      throw new Error(`Query parameter '${name}' must be declared in lower case.`);
    }
    const wire = property.wireFormat as WireFormat | undefined;
    if (wire) rules.push([name, wire]);
  }
  return (sent) => {
    const converted: Record<string, unknown> = { ...sent };
    for (const [name, wire] of rules) {
      const raw = sent[name];
      if (raw === undefined) continue;
      const value = convert(raw, wire);
      if (value === ABSENT) delete converted[name];
      else converted[name] = value;
    }
    return converted;
  };
}
