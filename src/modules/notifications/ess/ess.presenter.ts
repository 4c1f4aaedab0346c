/** The JSON of ESS subscriptions, delivery attempts and the published keys. */
import type { DeliveryAttemptRow } from './ess-delivery-attempt.repository.js';
import type { SigningKey } from './ess-signing-keys.js';
import type { EventSubscriptionRecord } from './ess-subscription.repository.js';

/** A subscription as ESS shows it; `scope` and `groups` are reserved by ESS, always empty. */
export function presentSubscription(subscription: EventSubscriptionRecord) {
  return {
    id: subscription.id,
    topic: subscription.topic,
    filter: subscription.filter,
    webHookConfig: { endpoint: subscription.endpoint },
    applicationId: subscription.app_id,
    scope: '',
    groups: [] as string[],
    companyIds: subscription.companyIds,
  };
}

/** One delivery attempt (never the body, the endpoint's path or the signature). */
export function presentAttempt(row: DeliveryAttemptRow) {
  return {
    eventId: row.event_id,
    eventType: row.event_type,
    attempt: Number(row.attempt),
    attemptedAt: new Date(Number(row.attempted_at)).toISOString(),
    durationMs: Number(row.duration_ms),
    status: row.status === null ? null : Number(row.status),
    outcome: row.outcome,
    errorClass: row.error_class,
  };
}

/** The published keys as a JWK Set (RFC 7517), newest last. */
export function presentJwks(keys: readonly SigningKey[]) {
  return {
    keys: keys.map((key) => ({
      ...key.publicKey.export({ format: 'jwk' }),
      kid: key.kid,
      use: 'sig',
      alg: 'RS256',
    })),
  };
}
