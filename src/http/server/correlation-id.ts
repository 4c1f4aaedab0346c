/**
 * Correlation ids: every response carries `concur-correlationid`, echoing the client's value
 * when it sent a sane one (Concur clients log it to trace a call), else a fresh UUID.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const CORRELATION_HEADER = 'concur-correlationid';

// A client value is echoed into a header and our logs: keep it short and printable.
const SAFE_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** Fastify `genReqId`: the request id is the correlation id. */
export function correlationIdFor(request: IncomingMessage): string {
  const sent = request.headers[CORRELATION_HEADER];
  const value = Array.isArray(sent) ? sent[0] : sent;
  return value !== undefined && SAFE_ID.test(value) ? value : randomUUID();
}
