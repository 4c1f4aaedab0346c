/**
 * Signatures of notification deliveries. Each app has its own signing secret, derived from
 * one server secret and the app's id, so that no per-app secret is stored: the server secret
 * is created once in the database and shared by every process (like the authorize form's key).
 * A receiver checks `Itinera-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`,
 * the scheme Stripe and others use, and rejects stale timestamps to stop replays.
 */
import { createHmac } from 'node:crypto';
import type { Executor } from '../../../db/database.js';
import type { SecretBox } from '../../../security/secret-box.js';
import { serverSecret } from '../../../security/server-secrets.js';

const SERVER_SECRET_NAME = 'notification-signing';

/** The header carrying the signature of a delivery. */
export const SIGNATURE_HEADER = 'itinera-signature';

/**
 * The signing secret of one app: `whsec_` and 43 base64url characters. Derived from the clear
 * server secret, so encrypting it at rest (`secrets`) changes no app's secret.
 */
export async function notificationSigningSecret(
  db: Executor,
  secrets: SecretBox,
  appId: string,
): Promise<string> {
  const master = await serverSecret(db, secrets, SERVER_SECRET_NAME);
  return `whsec_${createHmac('sha256', master).update(`app:${appId}`).digest('base64url')}`;
}

/** The signature header value for `body` sent at `timestampSeconds`. */
export function signatureHeaderValue(
  secret: string,
  timestampSeconds: number,
  body: string,
): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}
