/**
 * One delivery attempt: POST a notification's XML to the app's postback URL.
 *
 * Safe against the receiver and against the URL: one deadline covers the DNS look-up, the
 * connection and the answer; redirects are never followed (a 3xx is a failure); at most
 * RESPONSE_CAP bytes of the answer are read; and the host is resolved here, each address
 * checked (notification-address.ts), and the connection made to the checked address, so that
 * a DNS answer changing between check and connect (rebinding) cannot redirect it.
 */
import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { classifyAddress } from './notification-address.js';
import { SIGNATURE_HEADER, signatureHeaderValue } from './notification-signing.js';

/** The header carrying the delivery id (the outbox row id, the same on every attempt). */
export const DELIVERY_ID_HEADER = 'itinera-delivery-id';
/** The header carrying CREATE, UPDATE or CANCEL. */
export const EVENT_TYPE_HEADER = 'itinera-event-type';
const USER_AGENT = 'Itinera-Notifications/1.0';
// Receivers answer 200 with little or nothing; more is read only to reuse the connection.
const RESPONSE_CAP = 64 * 1024;
// last_error is shown to admins: keep it short.
const ERROR_MAX = 300;

/** What is sent, besides the URL. */
export interface OutgoingNotification {
  id: string;
  companyId: string;
  loginId: string;
  eventType: string;
  body: string;
  /** The app's signing secret (notificationSigningSecret). */
  secret: string;
}

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

/**
 * The postback URL with Concur's query appended (`type`, `oauth_token_key`, `userid_type`,
 * `userid_value`); a query the app registered is kept as it is.
 */
export function deliveryUrl(postbackUrl: string, companyId: string, loginId: string): URL {
  const url = new URL(postbackUrl);
  const ours =
    `type=itinerary&oauth_token_key=${encodeURIComponent(companyId)}` +
    `&userid_type=login&userid_value=${encodeURIComponent(loginId)}`;
  url.search = url.search.length > 1 ? `${url.search.slice(1)}&${ours}` : ours;
  return url;
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

/** Makes one attempt; never throws. */
export async function sendNotification(
  postbackUrl: string | null,
  notification: OutgoingNotification,
  options: SendOptions,
): Promise<SendResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  const { signal } = controller;
  let answered = false;
  try {
    if (!postbackUrl) throw new SendFailure('the app has no postback URL', 'no_postback_url');
    let url: URL;
    try {
      url = deliveryUrl(postbackUrl, notification.companyId, notification.loginId);
    } catch {
      throw new SendFailure('the postback URL is not a valid URL', 'invalid_url');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new SendFailure('the postback URL is not http(s)', 'not_http');
    }
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const targets = await resolveTarget(host, options.allowPrivateTargets, signal);
    const now = (options.now ?? Date.now)();
    const secure = url.protocol === 'https:';
    const headers = {
      'content-type': 'application/xml',
      'content-length': String(Buffer.byteLength(notification.body)),
      'user-agent': USER_AGENT,
      [DELIVERY_ID_HEADER]: notification.id,
      [EVENT_TYPE_HEADER]: notification.eventType,
      [SIGNATURE_HEADER]: signatureHeaderValue(
        notification.secret,
        Math.floor(now / 1000),
        notification.body,
      ),
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
      request.end(notification.body);
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
