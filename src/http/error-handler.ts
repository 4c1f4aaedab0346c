/**
 * Renders every error once, in the wire format of the route: Concur's
 * `<Error><Message/><Server-Time/><Id/></Error>` with the true HTTP status, or the OAuth JSON
 * shape on the token endpoint. Unexpected errors are logged in full and shown as a bare 500.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatServerTime } from '../domain/dates.js';
import { AppError, ErrorCode, errors, OAuthError } from '../errors.js';
import { type XmlDocument, xmlDocument, xmlElement, xmlFields } from '../xml/output/xml-output.js';
import { validationAppError } from './schema-validation.js';
import { sendXml } from './xml-reply.js';

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
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return errors.unsupportedMediaType(String((error as FastifyError).message));
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
      return reply
        .status(shown.httpStatus)
        .send({ error: shown.code, message: shown.message, correlationId: request.id });
    }
    if (request.routeOptions.config?.errorFormat === 'v4-json') {
      // Itinerary v4's "Error Schema": a list of errors, each with a code and a message.
      return reply
        .status(shown.httpStatus)
        .send({ errors: [{ errorCode: shown.code, errorMessage: shown.message }] });
    }
    return sendXmlError(reply, request, shown);
  });
  app.setNotFoundHandler((request, reply) =>
    sendXmlError(
      reply,
      request,
      new AppError(ErrorCode.NotFound, 404, `No resource at ${request.method} ${request.url}.`),
    ),
  );
}
