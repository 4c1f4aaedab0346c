/**
 * Renders every error once, in the wire format of the route: Concur's
 * `<Error><Message/><Server-Time/><Id/></Error>` with the true HTTP status, Itinera's JSON error
 * (api-docs/error-schemas.ts) when the client prefers JSON or the route speaks JSON, or the
 * OAuth JSON shape on the token endpoint. Unexpected errors are logged in full and shown as a
 * bare 500.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatServerTime } from '../domain/dates.js';
import { AppError, ErrorCode, errors, OAuthError } from '../errors.js';
import { type XmlDocument, xmlDocument, xmlElement, xmlFields } from '../xml/output/xml-output.js';
import type { JsonErrorBody } from './api-docs/error-schemas.js';
import { validationAppError } from './schema-validation.js';
import { sendXml } from './xml-reply.js';

/** A client's Content-Type as a message may quote it: printable ASCII, at most 100 characters. */
function shownContentType(header: string | undefined): string {
  const printable = (header ?? '').replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 100 ? `${printable.slice(0, 100)}…` : printable;
}

/** Maps Fastify's own errors (body too large, bad content type, schema failure …) to ours. */
function toAppError(
  error: FastifyError | AppError | Error,
  request: FastifyRequest,
  bodyLimit: number,
): AppError | null {
  if (error instanceof AppError) return error;
  const code = (error as FastifyError).code;
  switch (code) {
    case 'FST_ERR_VALIDATION': {
      const mapped = validationAppError(error as FastifyError, request);
      if (mapped) return mapped;
      break;
    }
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return errors.payloadTooLarge(bodyLimit);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      // Fastify's message is a bare "Unsupported Media Type": name the type the client sent.
      return errors.unsupportedMediaType(shownContentType(request.headers['content-type']));
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      // A body shorter or longer than its header said: the request, not its type, is wrong.
      return errors.badRequest(
        'The request body does not have the length its Content-Length says.',
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return errors.badRequest('The request body is empty; expected a JSON object.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return errors.badRequest(`The request body is not valid JSON: ${error.message}`);
    default:
      break;
  }
  if (error instanceof SyntaxError && (error as FastifyError).statusCode === 400) {
    return errors.badRequest(`The request body is not valid JSON: ${error.message}`);
  }
  const status = (error as FastifyError).statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return new AppError(ErrorCode.BadRequest, status, error.message);
  }
  return null;
}

/** Concur's `<Error>` document of `error`, for the request `requestId`. */
export function presentXmlError(error: AppError, requestId: string): XmlDocument {
  const fields = xmlFields({
    Message: error.message,
    'Server-Time': formatServerTime(new Date()),
    Id: requestId,
    Code: error.code,
    ...(error.status !== undefined ? { Status: error.status } : {}),
  });
  return xmlDocument(xmlElement('Error', [fields]));
}

/** Sends an AppError in Concur's XML error shape. */
export function sendXmlError(reply: FastifyReply, request: FastifyRequest, error: AppError) {
  return sendXml(reply, presentXmlError(error, String(request.id)), error.httpStatus);
}

/** Itinera's JSON error body of `error`: the same code and message as the XML form. */
export function presentJsonError(error: AppError, requestId: string): JsonErrorBody {
  return {
    error: error.code,
    message: error.message,
    correlationId: requestId,
    ...(error.status !== undefined ? { status: error.status } : {}),
  };
}

/** The quality the Accept header gives `type`: its most specific matching range wins. */
function qualityOf(ranges: readonly { type: string; q: number }[], type: string): number {
  const [main] = type.split('/');
  let best: { specificity: number; q: number } | undefined;
  for (const range of ranges) {
    const specificity =
      range.type === type ? 2 : range.type === `${main}/*` ? 1 : range.type === '*/*' ? 0 : -1;
    if (specificity >= 0 && (!best || specificity > best.specificity)) {
      best = { specificity, q: range.q };
    }
  }
  return best?.q ?? 0;
}

/**
 * True when `accept` ranks `application/json` above both XML types (RFC 9110 §12.5.1: q-values,
 * the most specific range deciding). Ties, `*\/*` and no header keep Concur's XML.
 */
export function prefersJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranges = accept
    .slice(0, 1024)
    .split(',')
    .map((part) => {
      const [type = '', ...parameters] = part.split(';').map((p) => p.trim().toLowerCase());
      const q = parameters.find((p) => /^q\s*=/.test(p));
      const value = q === undefined ? 1 : Number(q.slice(q.indexOf('=') + 1).trim());
      return { type, q: Number.isFinite(value) ? Math.min(Math.max(value, 0), 1) : 0 };
    });
  const json = qualityOf(ranges, 'application/json');
  const xml = Math.max(qualityOf(ranges, 'application/xml'), qualityOf(ranges, 'text/xml'));
  return json > 0 && json > xml;
}

/** Sends `error` as JSON when the client prefers it, else in Concur's XML shape. */
export function sendError(reply: FastifyReply, request: FastifyRequest, error: AppError) {
  if (prefersJson(request.headers.accept)) {
    return reply.status(error.httpStatus).send(presentJsonError(error, String(request.id)));
  }
  return sendXmlError(reply, request, error);
}

const OAUTH_ERROR_NAMES: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.BadRequest]: 'invalid_request',
  [ErrorCode.PayloadTooLarge]: 'invalid_request',
  [ErrorCode.UnsupportedMediaType]: 'invalid_request',
};

/** Installs the error and not-found handlers on the app. */
export function registerErrorHandlers(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = toAppError(error, request, bodyLimit);
    if (!appError) {
      request.log.error({ err: error }, 'unexpected error');
    } else if (appError.httpStatus >= 500) {
      request.log.error({ err: error }, appError.message);
    }
    const shown =
      appError ?? new AppError(ErrorCode.Internal, 500, 'An unexpected error occurred.');
    // A route may have named its own challenge (HTTP Basic on /net2/oauth2/accesstoken.ashx).
    if (shown.httpStatus === 401 && !reply.hasHeader('www-authenticate')) {
      reply.header('www-authenticate', 'Bearer realm="itinera"');
    }
    if (shown.retryAfterSeconds !== undefined) {
      reply.header('retry-after', String(shown.retryAfterSeconds));
    }
    if (request.routeOptions.config?.errorFormat === 'oauth-json') {
      const oauth = error instanceof OAuthError ? error : null;
      return reply.status(shown.httpStatus).send({
        code: oauth?.numericCode ?? 0,
        error: oauth?.oauthError ?? OAUTH_ERROR_NAMES[shown.code] ?? 'server_error',
        error_description: shown.message,
        ...(oauth?.geolocation ? { geolocation: oauth.geolocation } : {}),
      });
    }
    if (request.routeOptions.config?.errorFormat === 'json') {
      return reply.status(shown.httpStatus).send(presentJsonError(shown, String(request.id)));
    }
    if (request.routeOptions.config?.errorFormat === 'v4-json') {
      // Itinerary v4's "Error Schema": a list of errors, each with a code and a message.
      return reply
        .status(shown.httpStatus)
        .send({ errors: [{ errorCode: shown.code, errorMessage: shown.message }] });
    }
    return sendError(reply, request, shown);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      request,
      new AppError(ErrorCode.NotFound, 404, `No resource at ${request.method} ${request.url}.`),
    ),
  );
}
