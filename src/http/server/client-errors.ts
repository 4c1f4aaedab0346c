/**
 * Errors the HTTP parser raises before any route runs (Node's `clientError`): a request whose
 * headers or body do not arrive in time (408), headers over Node's size limit (431), bytes that
 * are not HTTP (400). Fastify's default answers them in its own JSON; a Concur client expects
 * the `<Error>` of every other answer, with a correlation id to quote. The connection is then
 * closed: the parser cannot go on after such an error.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { AppError, ErrorCode } from '../../errors.js';
import { writeXml } from '../../xml/output/xml-output-writer.js';
import { presentXmlError } from '../error-handler.js';
import { XML_CONTENT_TYPE } from '../xml-reply.js';
import { CORRELATION_HEADER } from './correlation-id.js';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/** The error to answer for a parser error code. */
export function clientErrorOf(code: string | undefined): AppError {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new AppError(
      ErrorCode.RequestTimeout,
      408,
      'The request did not arrive in time (headers or body too slow); send it again.',
    );
  }
  if (code === 'HPE_HEADER_OVERFLOW') {
    return new AppError(
      ErrorCode.HeadersTooLarge,
      431,
      'The request headers are too large (16 KiB in all at most).',
    );
  }
  return new AppError(ErrorCode.BadRequest, 400, 'The request is not valid HTTP/1.1.');
}

/** Fastify's `clientErrorHandler`. */
export function clientErrorHandler(
  this: { log: FastifyBaseLogger },
  error: NodeJS.ErrnoException,
  socket: Socket,
): void {
  // A reset connection has nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const appError = clientErrorOf(error.code);
  const id = randomUUID();
  this.log.info(
    { correlationId: id, status: appError.httpStatus, code: error.code },
    'client error before routing',
  );
  if (socket.writable) {
    const body = writeXml(presentXmlError(appError, id));
    socket.write(
      `HTTP/1.1 ${appError.httpStatus} ${REASONS[appError.httpStatus]}\r\n` +
        `Content-Type: ${XML_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `${CORRELATION_HEADER}: ${id}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy();
}
