/**
 * The query string as old Concur clients build it. Some append their parameters with `?` to a
 * URL that already has one (`…/accesstoken.ashx??x=1`, `…/v1.0/?startDate=2024-01-01?endDate=…`),
 * which a strict parser reads as a parameter named `?x` or a date ending in `?endDate=…`. On the
 * routes that run this hook every unencoded `?` after the first separates parameters like `&`.
 *
 * Why that is safe: a client that means a literal `?` in a value percent-encodes it (`%3F`, as
 * URLSearchParams and every URL encoder do), and `%3F` is still read as a `?` inside the value.
 * Only the raw character, which no encoder produces inside a value, changes meaning.
 */
import type { FastifyRequest } from 'fastify';

/** The query of `url` with every unencoded `?` read as `&`; repeated names become arrays. */
export function tolerantQuery(url: string): Record<string, string | string[]> {
  const start = url.indexOf('?');
  const query: Record<string, string | string[]> = {};
  if (start < 0) return query;
  const search = new URLSearchParams(url.slice(start + 1).replaceAll('?', '&'));
  for (const [name, value] of search) {
    if (name === '') continue;
    const seen = query[name];
    if (seen === undefined) query[name] = value;
    else query[name] = Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return query;
}

/**
 * An `onRequest`/`preValidation` hook that re-reads `request.query` with `tolerantQuery` when
 * the URL holds a second unencoded `?` (otherwise Fastify's own reading stands).
 */
export async function tolerateDoubledQuestionMarks(request: FastifyRequest): Promise<void> {
  const url = request.raw.url ?? request.url;
  const first = url.indexOf('?');
  if (first >= 0 && url.indexOf('?', first + 1) >= 0) request.query = tolerantQuery(url);
}
