/**
 * The Fastify server options every app gets, and its request logging: one line per request,
 * without bodies, headers or query values (log-redaction.ts). Kept out of app.ts, which wires
 * the modules.
 */
import type { Server } from 'node:http';
import type { FastifyHttpOptions, FastifyInstance } from 'fastify';
import { LogController } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Config } from '../../config.js';
import { AppError, ErrorCode } from '../../errors.js';
import { trustProxyOption } from '../base-url.js';
import { sendError } from '../error-handler.js';
import { AJV_OPTIONS } from '../schema-validation.js';
import { clientErrorHandler } from './client-errors.js';
import { CORRELATION_HEADER, correlationIdFor } from './correlation-id.js';
import { lazySchemaController } from './lazy-schema-compilers.js';
import { LOG_REDACTION, redactedUrl, requestForLog } from './log-redaction.js';

/** The options of `Fastify()` for this configuration; `logStream` replaces stdout (tests). */
export function serverOptions(
  config: Readonly<Config>,
  logStream?: DestinationStream,
): FastifyHttpOptions<Server> {
  return {
    // No query values, credentials or data-bearing error fields in logs (http/log-redaction.ts).
    logger: {
      level: config.logLevel,
      redact: LOG_REDACTION,
      serializers: { req: requestForLog },
      ...(logStream ? { stream: logStream } : {}),
    },
    genReqId: correlationIdFor,
    requestIdHeader: false,
    // Our own onResponse hook writes the single per-request line.
    logController: new LogController({
      disableRequestLogging: true,
      requestIdLogLabel: 'correlationId',
    }),
    bodyLimit: config.bodyLimitBytes,
    // Slow clients (issue 16): Fastify's defaults never time a stalled request out. Node checks
    // these timers every `connectionsCheckingInterval` (30 s by default): every second here, so
    // that a stalled upload is closed within about a second of its deadline.
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    http: { headersTimeout: config.headersTimeoutMs, connectionsCheckingInterval: 1_000 },
    // The HTTP parser's own errors (408, 431, 400) in Concur's <Error> (client-errors.ts).
    clientErrorHandler,
    // X-Forwarded-Proto/Host/For count only from these proxies (request.protocol, host, ip).
    trustProxy: trustProxyOption(config.trustProxy),
    // Route schemas (TypeBox): no coercion, extra parameters kept (src/http/schema-validation.ts).
    ajv: AJV_OPTIONS,
    // Fastify's own compilers, compiling each schema on first use (lazy-schema-compilers.ts).
    schemaController: lazySchemaController(),
    routerOptions: { ignoreTrailingSlash: true },
    // URLs the router refuses (bad percent-encoding, over-long path parameter) never reach the
    // hooks or the error handler: answer them as the handler would, with the correlation id.
    frameworkErrors: (error, request, reply) => {
      reply.header(CORRELATION_HEADER, request.id);
      const status = error.statusCode === 414 ? 414 : 400;
      const message =
        status === 414
          ? 'A path parameter of the URL is too long.'
          : 'The URL is not validly encoded.';
      return sendError(reply, request, new AppError(ErrorCode.BadRequest, status, message));
    },
  };
}

/** The correlation id echoed on every answer, and one log line per request. */
export function registerRequestLogging(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header(CORRELATION_HEADER, request.id);
  });
  // One log line per request (Fastify's default is two), without bodies or headers.
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        url: redactedUrl(request.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
  });
}
