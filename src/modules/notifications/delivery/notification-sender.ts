/**
 * One delivery attempt: POST a notification's XML to the app's postback URL, with Concur's
 * query and Itinera's signature, through the SSRF-safe POST of safe-post.ts.
 */
import { SIGNATURE_HEADER, signatureHeaderValue } from './notification-signing.js';
import { postSafely, type SendOptions, type SendResult } from './safe-post.js';

export type { SendOptions, SendResult } from './safe-post.js';

/** The header carrying the delivery id (the outbox row id, the same on every attempt). */
export const DELIVERY_ID_HEADER = 'itinera-delivery-id';
/** The header carrying CREATE, UPDATE or CANCEL. */
export const EVENT_TYPE_HEADER = 'itinera-event-type';
const USER_AGENT = 'Itinera-Notifications/1.0';

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

/** Makes one attempt; never throws. */
export async function sendNotification(
  postbackUrl: string | null,
  notification: OutgoingNotification,
  options: SendOptions,
): Promise<SendResult> {
  if (!postbackUrl) {
    return {
      ok: false,
      status: null,
      error: 'the app has no postback URL',
      code: 'no_postback_url',
    };
  }
  let url: URL;
  try {
    url = deliveryUrl(postbackUrl, notification.companyId, notification.loginId);
  } catch {
    return {
      ok: false,
      status: null,
      error: 'the postback URL is not a valid URL',
      code: 'invalid_url',
    };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, status: null, error: 'the postback URL is not http(s)', code: 'not_http' };
  }
  const now = (options.now ?? Date.now)();
  return postSafely(url, notification.body, options, {
    'content-type': 'application/xml',
    'user-agent': USER_AGENT,
    [DELIVERY_ID_HEADER]: notification.id,
    [EVENT_TYPE_HEADER]: notification.eventType,
    [SIGNATURE_HEADER]: signatureHeaderValue(
      notification.secret,
      Math.floor(now / 1000),
      notification.body,
    ),
  });
}
