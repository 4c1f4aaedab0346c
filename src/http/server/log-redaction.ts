/**
 * What the logs must not carry: query values (`?loginid=alice@…`, `userid_value=`, `code=`,
 * `state=`, `access_token=`, an app's own tokens), credentials in headers, and what error
 * objects may hold of a request or of stored rows. Logs are kept longer and read by more
 * people than the database; they get names and shapes, not values.
 */

/** What replaces a redacted value. */
export const REDACTED = '[redacted]';

// A parameter name worth keeping: short and plain. Anything else (`?alice%40acme.example`, a
// bare token as the whole query) may itself be a value and is redacted like one.
const PLAIN_NAME = /^[A-Za-z0-9_.\-[\]]{1,64}$/;

function redactParameter(parameter: string): string {
  if (parameter === '') return parameter;
  const eq = parameter.indexOf('=');
  const name = eq < 0 ? parameter : parameter.slice(0, eq);
  const shownName = PLAIN_NAME.test(name) ? name : REDACTED;
  if (eq < 0) return shownName;
  return eq === parameter.length - 1 ? `${shownName}=` : `${shownName}=${REDACTED}`;
}

/**
 * A request URL fit for logs: the path and the query's parameter names, every value replaced
 * with `[redacted]` (`/x?loginid=a%40b&flag` → `/x?loginid=[redacted]&flag`). The path is kept:
 * no route has a personal path segment (trip and notification ids are not personal).
 */
export function redactedUrl(url: string): string {
  const q = url.indexOf('?');
  // Most request URLs have no query: no work, no allocation.
  if (q < 0 || q === url.length - 1) return url;
  return `${url.slice(0, q + 1)}${url
    .slice(q + 1)
    .split('&')
    .map(redactParameter)
    .join('&')}`;
}

/**
 * pino's `redact` option: credentials in headers wherever a request, a reply or an error is
 * logged, and the error fields that carry data rather than a description (PostgreSQL's
 * `detail`, e.g. "Key (login_id)=(alice@…) already exists"; bodies and HTTP exchanges
 * attached by client libraries).
 */
export const LOG_REDACTION = {
  paths: [
    'req.headers.authorization',
    'req.headers.cookie',
    'res.headers["set-cookie"]',
    'headers.authorization',
    'headers.cookie',
    'err.detail',
    'err.where',
    'err.parameters',
    'err.body',
    'err.rawBody',
    'err.request',
    'err.response',
    'err.headers',
    'err.config',
    'err.cause.detail',
    'err.cause.where',
    'err.cause.parameters',
  ],
  censor: REDACTED,
};

/** Fastify's `req` serializer, with the URL redacted (used if a request is ever logged whole). */
export function requestForLog(request: {
  method: string;
  url: string;
  id?: unknown;
}): Record<string, unknown> {
  return { method: request.method, url: redactedUrl(request.url) };
}
