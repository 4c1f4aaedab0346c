/**
 * One POST to a URL a client chose, safe against the receiver and against the URL: one deadline
 * covers the DNS look-up, the connection and the answer; redirects are never followed (a 3xx
 * is a failure); at most RESPONSE_CAP bytes of the answer are read; and the host is resolved
 * here, each address checked (notification-address.ts), and the connection made to the checked
 * address, so that a DNS answer changing between check and connect (rebinding) cannot redirect
 * it. Used by the v1.1 notifications and the ESS events alike.
 */
import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { classifyAddress } from './notification-address.js';

// Receivers answer 200 with little or nothing; more is read only to reuse the connection.
const RESPONSE_CAP = 64 * 1024;
// last_error is shown to admins: keep it short.
const ERROR_MAX = 300;

export interface SendOptions {
  timeoutMs: number;
  allowPrivateTargets: boolean;
  /** Keep-alive agents, shared by a worker's attempts. */
  agents?: { http: http.Agent; https: https.Agent };
  /** Clock for the signature timestamp (epoch ms). */
  now?: () => number;
}

/**
 * The outcome of an attempt: `status` is the receiver's HTTP status when it answered; `code`
 * names a failure for logs and metrics without its details (`timeout`, `ECONNREFUSED`,
 * `http_status`, `redirect`, `host_not_found`, `private_target`, `no_postback_url` …).
 */
export type SendResult =
  | { ok: true; status: number }
  | { ok: false; status: number | null; error: string; code: string };

class SendFailure extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

function shorten(text: string): string {
  return text.length > ERROR_MAX ? `${text.slice(0, ERROR_MAX - 1)}…` : text;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The addresses to connect to, after the SSRF check (throws SendFailure when refused). */
async function resolveTarget(
  host: string,
  allowPrivate: boolean,
  signal: AbortSignal,
): Promise<LookupAddress[]> {
  const family = isIP(host);
  const addresses: LookupAddress[] = family
    ? [{ address: host, family }]
    : await abortable(dnsLookup(host, { all: true, verbatim: true }), signal).catch(
        (error: unknown) => {
          if (signal.aborted) throw error;
          throw new SendFailure(`host ${host} not found`, 'host_not_found');
        },
      );
  if (!allowPrivate) {
    // Every address must be public: a name that also points inside is refused as a whole.
    for (const { address } of addresses) {
      const kind = classifyAddress(address);
      if (kind !== 'public') {
        throw new SendFailure(
          `refused: ${host} resolves to ${address} (${kind}); private targets are not allowed`,
          'private_target',
        );
      }
    }
  }
  if (addresses.length === 0) throw new SendFailure(`host ${host} not found`, 'host_not_found');
  return addresses;
}

/**
 * A `lookup` that answers only the checked addresses, whatever DNS says by now: all of them
 * when asked for all (Node then tries each in turn, "happy eyeballs"), else the first.
 */
function fixedLookup(targets: readonly LookupAddress[]): LookupFunction {
  const [first] = targets as [LookupAddress];
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [...targets]);
    else callback(null, first.address, first.family);
  };
}

/** The short name of a failure: `timeout`, the Node error code, or our own. */
function failureCode(error: unknown, timedOut: boolean): string {
  if (timedOut) return 'timeout';
  if (error instanceof SendFailure) return error.code;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'error';
}

function describeError(error: unknown, timeoutMs: number, timedOut: boolean): string {
  if (timedOut) return `timed out after ${timeoutMs} ms`;
  if (error instanceof SendFailure) return error.message;
  const code = (error as { code?: string }).code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset by the receiver';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    default:
      return `${code ?? 'error'}: ${(error as Error).message ?? String(error)}`;
  }
}

/** Reads and drops up to RESPONSE_CAP bytes of the answer, then lets the socket go. */
function drain(response: IncomingMessage): void {
  let read = 0;
  response.on('data', (chunk: Buffer) => {
    read += chunk.length;
    // Drop the rest and the connection rather than read an endless answer.
    if (read > RESPONSE_CAP) response.destroy();
  });
  response.on('error', () => {});
}

/** POSTs `body` with `extraHeaders` to `url`; never throws. */
export async function postSafely(
  url: URL,
  body: string,
  options: SendOptions,
  extraHeaders: Record<string, string>,
): Promise<SendResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  const { signal } = controller;
  let answered = false;
  try {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new SendFailure('the target URL is not http(s)', 'not_http');
    }
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const targets = await resolveTarget(host, options.allowPrivateTargets, signal);
    const secure = url.protocol === 'https:';
    const headers = {
      ...extraHeaders,
      'content-length': String(Buffer.byteLength(body)),
    };
    const status = await new Promise<number>((resolve, reject) => {
      const request = (secure ? https : http).request(
        {
          method: 'POST',
          protocol: url.protocol,
          hostname: host,
          port: url.port || (secure ? 443 : 80),
          path: `${url.pathname}${url.search}`,
          headers,
          lookup: fixedLookup(targets),
          signal,
          agent: secure ? options.agents?.https : options.agents?.http,
          // TLS: the certificate is checked against the name, not the address connected to.
          ...(secure && !isIP(host) ? { servername: host } : {}),
        },
        (response) => {
          // The deadline keeps bounding the rest of the answer, which is read after this.
          answered = true;
          response.once('close', () => clearTimeout(timer));
          drain(response);
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
    if (status >= 200 && status < 300) return { ok: true, status };
    if (status >= 300 && status < 400) {
      return {
        ok: false,
        status,
        error: `redirect (HTTP ${status}) not followed`,
        code: 'redirect',
      };
    }
    return { ok: false, status, error: `HTTP ${status}`, code: 'http_status' };
  } catch (error) {
    return {
      ok: false,
      status: null,
      error: shorten(describeError(error, options.timeoutMs, signal.aborted)),
      code: failureCode(error, signal.aborted),
    };
  } finally {
    if (!answered) clearTimeout(timer);
  }
}
