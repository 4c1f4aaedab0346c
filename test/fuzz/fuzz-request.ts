/**
 * How the fuzz targets (fuzz-targets.ts, fuzz-targets-web.ts) write their requests: the body's
 * content type by kind, path segments percent-encoded byte by byte, bearer headers.
 */
import type { BodyKind, FuzzRequest } from './mutations.js';

/** An `Authorization: Bearer` header. */
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A request with the content type of its body's kind. */
export function request(
  method: FuzzRequest['method'],
  path: string,
  kind: BodyKind,
  headers: Record<string, string>,
  body?: string,
  query: Record<string, string> = {},
): FuzzRequest {
  const types: Record<BodyKind, string | undefined> = {
    xml: 'application/xml',
    json: 'application/json',
    form: 'application/x-www-form-urlencoded',
    none: undefined,
  };
  const type = types[kind];
  return {
    method,
    path,
    query,
    kind,
    headers: type ? { ...headers, 'content-type': type } : headers,
    ...(body === undefined ? {} : { body: Buffer.from(body, 'utf8') }),
  };
}

/** A path segment, percent-encoded byte by byte (a lone surrogate too, as its UTF-8 bytes). */
export function segment(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((byte) =>
      /[\w.~-]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}
