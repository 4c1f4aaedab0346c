/**
 * The one place XML request bodies are parsed. Routes that declare `config.xmlRoot` get the
 * body as a parsed `XmlNode` (DOCTYPE/entities refused, schema-driven, size-limited by
 * Fastify's bodyLimit → 413, which counts the bytes received whatever their encoding). XML is
 * accepted as application/xml, text/xml, or any type that is not JSON or form data, since
 * older clients send XML with odd or missing content types; the Content-Type's `charset`, when
 * sent, says how the bytes are decoded (src/xml/encoding/). Routes that declare
 * `config.jsonBody` refuse any body that is not JSON with 415.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors } from '../errors.js';
import type { XmlNode } from '../xml/document.js';
import { REQUEST_ROOTS } from '../xml/request-roots.js';
import { readXmlDocument } from '../xml/xml-reader.js';
import './ignored-input.js';

type Done = (err: Error | null, body?: unknown) => void;

const NOT_XML = /json|x-www-form-urlencoded/i;

/** The `charset` parameter of a Content-Type, unquoted; undefined when absent or empty. */
function charsetOf(contentType: string): string | undefined {
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^\s;]*))/i.exec(contentType);
  const charset = (match?.[1] ?? match?.[2] ?? '').trim();
  return charset === '' ? undefined : charset;
}

function parseFor(request: FastifyRequest, body: Buffer): XmlNode | undefined {
  // An unknown route answers 404 whatever its body; refusing the body would say 415.
  if (request.is404) return undefined;
  const config = request.routeOptions.config;
  const root = config?.xmlRoot;
  // Form data reaches this catch-all parser too; it is not XML, whatever it contains.
  const type = request.headers['content-type'] ?? '';
  if (root && NOT_XML.test(type)) throw errors.unsupportedMediaType(type);
  if (root) {
    const read = readXmlDocument(body, root, { charset: charsetOf(type) });
    // For the `Itinera-Ignored` header (ignored-input.ts).
    if (read.ignored.length > 0 || read.moreIgnored > 0) {
      request.ignoredElements = { paths: read.ignored, more: read.moreIgnored };
    }
    return read.document;
  }
  // JSON bodies never come here (they have their own parser): whatever this is, it is not
  // what the route reads, and ignoring it would answer as if nothing had been asked.
  if (config?.jsonBody && body.length > 0) {
    throw errors.unsupportedMediaType(type || '(none)', 'application/json');
  }
  // Routes that take no XML body (cancel: "no request body", SPEC §2.5) ignore whatever a
  // client sends along with an XML content type.
  return undefined;
}

/** Registers the XML content-type parsers, and the JSON one that knows XML routes. */
export function registerXmlBodyParser(app: FastifyInstance): void {
  const parser = (request: FastifyRequest, body: Buffer, done: Done) => {
    try {
      done(null, parseFor(request, body));
    } catch (error) {
      done(error as Error);
    }
  };
  // text/plain XML is XML too: let the catch-all parser take it instead of Fastify's string one.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'buffer' }, parser);
  app.addContentTypeParser('*', { parseAs: 'buffer' }, parser);

  // A JSON Content-Type on a route that reads XML is the wrong media type (415), whatever the
  // body holds: it must not be parsed as JSON first and fail as bad JSON (400).
  const { onProtoPoisoning, onConstructorPoisoning } = app.initialConfig;
  const json = app.getDefaultJsonParser(
    onProtoPoisoning ?? 'error',
    onConstructorPoisoning ?? 'error',
  );
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    (request: FastifyRequest, body: string, done: Done) => {
      if (!request.is404 && request.routeOptions.config?.xmlRoot) {
        done(errors.unsupportedMediaType(request.headers['content-type'] ?? ''));
        return;
      }
      json(request, body, done);
    },
  );
}

/**
 * The parsed XML body of a route with `config.xmlRoot`. A request without a body (or without
 * a Content-Type, which Fastify then does not parse) is an empty body.
 */
export function xmlBodyOf(request: FastifyRequest): XmlNode {
  const body = request.body;
  const root = REQUEST_ROOTS[request.routeOptions.config?.xmlRoot ?? 'Itinerary'].element;
  if (body === undefined || body === null || body === '') {
    const announced = Number(request.headers['content-length'] ?? 0) > 0;
    if (announced && !request.headers['content-type']) {
      throw errors.unsupportedMediaType('(none)');
    }
    throw errors.emptyBody(root);
  }
  if (typeof body !== 'object' || Array.isArray(body) || Buffer.isBuffer(body)) {
    throw errors.unsupportedMediaType(request.headers['content-type'] ?? '');
  }
  // JSON and form bodies are parsed by their own parsers: refuse them here.
  const type = request.headers['content-type'] ?? '';
  if (NOT_XML.test(type)) throw errors.unsupportedMediaType(type);
  return body as XmlNode;
}
