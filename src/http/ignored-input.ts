/**
 * The `Itinera-Ignored` response header: which query parameters and XML elements of a request
 * were ignored, so that a client hears that its mistyped filter or undefined field had no
 * effect (docs/COMPATIBILITY.md, "Ignored input"). For example
 * `Itinera-Ignored: query=missingBookingType; elements=Bookings/Booking/Segments/Hotel/Foo`.
 *
 * A route opts in with `config.knownQuery`, the lower-case names of the parameters it reads;
 * any other parameter sent is named. The XML body parser adds the undefined elements it
 * skipped (`request.ignoredElements`). Set on success and error answers alike. Names only, never
 * values; characters outside a safe set are percent-encoded; the value is capped at 1 KiB.
 */
import type { TObject } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The query (or GetTrips body) parameters the route reads, lower case; see file comment. */
    knownQuery?: ReadonlySet<string>;
  }
  interface FastifyRequest {
    /** Undefined elements the XML body carried (paths below the root), and how many more. */
    ignoredElements?: { paths: readonly string[]; more: number };
  }
}

export const IGNORED_HEADER = 'Itinera-Ignored';

/** Longest header value, in bytes (all ASCII): names are listed until it is reached. */
export const MAX_IGNORED_HEADER_LENGTH = 1024;

/** The parameter names a TypeBox query schema declares (lower case, as concurQuery reads). */
export function queryNames(schema: TObject, except: readonly string[] = []): ReadonlySet<string> {
  const names = new Set(Object.keys(schema.properties));
  for (const name of except) names.delete(name);
  return names;
}

/** Letters, digits, `/` and the token characters that do not separate: kept as they are. */
const SAFE = /^[A-Za-z0-9!#$&'*+.^_`|~:/-]$/;

/** A name as it appears in the header: anything outside SAFE percent-encoded (UTF-8). */
function headerSafe(name: string): string {
  let out = '';
  for (const char of name) {
    out += SAFE.test(char)
      ? char
      : [...Buffer.from(char, 'utf8')]
          .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
          .join('');
  }
  return out;
}

/**
 * The header's value for ignored query parameters and element paths, or undefined when nothing
 * was ignored. Names are listed while they fit in MAX_IGNORED_HEADER_LENGTH; the rest of a
 * section becomes `...(N more)`.
 */
export function ignoredHeaderValue(
  query: readonly string[],
  elements: readonly string[],
  moreElements = 0,
): string | undefined {
  const sections: [string, readonly string[], number][] = [];
  if (query.length > 0) sections.push(['query', query, 0]);
  if (elements.length > 0 || moreElements > 0) sections.push(['elements', elements, moreElements]);
  if (sections.length === 0) return undefined;
  let value = '';
  for (const [index, [label, names, more]] of sections.entries()) {
    // Room kept for the sections after this one (`; elements=...(N more)` at least).
    const limit = MAX_IGNORED_HEADER_LENGTH - (sections.length - 1 - index) * 32;
    value += `${value === '' ? '' : '; '}${label}=`;
    let listed = 0;
    for (const name of names) {
      const safe = headerSafe(name);
      const left = names.length - listed - 1 + more;
      // Room for this name, and for the `...(N more)` the rest would need after it.
      const tail = left > 0 ? `,...(${left} more)`.length : 0;
      if (value.length + (listed > 0 ? 1 : 0) + safe.length + tail > limit) {
        break;
      }
      value += (listed > 0 ? ',' : '') + safe;
      listed++;
    }
    const rest = names.length - listed + more;
    if (rest > 0) value += `${listed > 0 ? ',' : ''}...(${rest} more)`;
  }
  return value;
}

/** Query parameter names as sent that `known` does not hold, each once (in any case). */
function unknownParameters(request: FastifyRequest, known: ReadonlySet<string>): string[] {
  const sent = request.sentParameters?.original ?? request.query;
  if (!sent || typeof sent !== 'object') return [];
  const seen = new Set<string>();
  const unknown: string[] = [];
  for (const name of Object.keys(sent)) {
    const lower = name.toLowerCase();
    if (known.has(lower) || seen.has(lower)) continue;
    seen.add(lower);
    unknown.push(name);
  }
  return unknown;
}

/** Adds the `Itinera-Ignored` header to the answers of the routes that opt in. */
export function registerIgnoredHeader(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const known = request.is404 ? undefined : request.routeOptions.config?.knownQuery;
    const elements = request.ignoredElements;
    if (known === undefined && elements === undefined) return payload;
    const query = known ? unknownParameters(request, known) : [];
    const value = ignoredHeaderValue(query, elements?.paths ?? [], elements?.more ?? 0);
    if (value !== undefined) reply.header(IGNORED_HEADER, value);
    return payload;
  });
}
