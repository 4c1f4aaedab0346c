/**
 * The rules of ESS v4 subscriptions (event-subscription-management): company-level tokens
 * only, the topic's scope besides `events.topic.read`, ids unique across apps, a filter that is
 * a regular expression over the topic's event types, and an endpoint Itinera may call.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database.js';
import { AppError, ErrorCode, errors } from '../../../errors.js';
import { classifyAddress } from '../delivery/notification-address.js';
import type { Principal } from '../module-ports.js';
import {
  deleteSubscription,
  type EventSubscriptionRecord,
  findSubscriptionOfApp,
  findSubscriptionRow,
  listSubscriptionsOfApp,
  saveSubscription,
} from './ess-subscription.repository.js';
import { findTopic, type Topic, topicsFor } from './ess-topics.js';

/** A subscription as the client sends it (PUT /events/v4/subscriptions/webhook). */
export interface SubscriptionInput {
  id: string;
  filter: string;
  topic: string;
  webHookConfig: { endpoint: string };
}

export interface SubscriptionServiceOptions {
  /** NOTIFICATION_ALLOW_PRIVATE_TARGETS: a development setting that also allows http to loopback. */
  allowPrivateTargets: boolean;
  now?: () => number;
}

/** A 404 that does not tell another app's subscription from none. */
function notFound(id: string): AppError {
  return new AppError(ErrorCode.NotFound, 404, `Subscription '${id}' was not found.`);
}

/** Only company-level (client_credentials) tokens manage subscriptions: ESS's App JWT. */
export function assertCompanyToken(principal: Principal): void {
  if (principal.kind !== 'company') {
    throw errors.forbidden(
      'The Event Subscription Service needs a company-level token (client_credentials grant); ' +
        'a user token cannot manage subscriptions.',
    );
  }
}

/**
 * The topic's event types that `filter` matches as a whole (`^(?:filter)$`), or a 400 when it is
 * not a regular expression. Run here, once, on a handful of short names: the write path only
 * reads the stored result and never runs a subscriber's expression.
 */
export function matchingEventTypes(filter: string, topic: Topic): string[] {
  let pattern: RegExp;
  try {
    pattern = new RegExp(`^(?:${filter})$`);
  } catch {
    throw errors.badRequest(`filter is not a valid regular expression: '${filter}'.`);
  }
  return topic.eventTypes.filter((type) => pattern.test(type));
}

/**
 * Checks a webhook endpoint: an absolute https URL without credentials; plain http only to a
 * loopback address and only when private targets are allowed (development). Addresses named by
 * DNS are checked again at every delivery (the SSRF guard of the delivery worker).
 */
export function checkEndpoint(endpoint: string, allowPrivateTargets: boolean): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw errors.badRequest('webHookConfig.endpoint must be an absolute https URL.');
  }
  if (url.username || url.password) {
    throw errors.badRequest('webHookConfig.endpoint must not carry a user name or password.');
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const kind = classifyAddress(host.toLowerCase() === 'localhost' ? '127.0.0.1' : host);
  if (url.protocol === 'http:') {
    if (!allowPrivateTargets || kind !== 'loopback') {
      throw errors.badRequest(
        'webHookConfig.endpoint must be an https URL (plain http is allowed only to a loopback ' +
          'address when NOTIFICATION_ALLOW_PRIVATE_TARGETS is set).',
      );
    }
  } else if (url.protocol !== 'https:') {
    throw errors.badRequest('webHookConfig.endpoint must be an absolute https URL.');
  }
  if (!allowPrivateTargets && kind !== 'public' && kind !== 'not an IP address') {
    throw errors.badRequest(
      `webHookConfig.endpoint points to a ${kind} address; it must be public.`,
    );
  }
  return url.toString();
}

/** Subscriptions of the calling app. */
export class EventSubscriptionService {
  private readonly now: () => number;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: SubscriptionServiceOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The topics the token's scopes open. */
  topics(principal: Principal): string[] {
    assertCompanyToken(principal);
    return topicsFor(principal.scopes).map((topic) => topic.name);
  }

  /** Creates or replaces the caller's subscription `input.id`. */
  async save(principal: Principal, input: SubscriptionInput): Promise<void> {
    assertCompanyToken(principal);
    const topic = findTopic(input.topic);
    if (!topic) throw errors.badRequest(`Unknown topic '${input.topic}'.`);
    if (!principal.scopes.includes(topic.scope)) throw errors.insufficientScope(topic.scope);
    const eventTypes = matchingEventTypes(input.filter, topic);
    const endpoint = checkEndpoint(input.webHookConfig.endpoint, this.options.allowPrivateTargets);
    const now = this.now();
    const saved = await this.db.transaction().execute(async (trx) => {
      const existing = await findSubscriptionRow(trx, input.id);
      return saveSubscription(
        trx,
        {
          id: input.id,
          app_id: principal.app.id,
          topic: topic.name,
          filter: input.filter,
          event_types: JSON.stringify(eventTypes),
          endpoint,
          created_at: existing?.created_at ?? now,
          updated_at: now,
        },
        principal.companyIds,
      );
    });
    if (!saved) {
      throw errors.conflict(
        `Subscription id '${input.id}' is already in use; subscription ids are globally unique.`,
      );
    }
  }

  /** The caller's subscriptions. */
  list(principal: Principal): Promise<EventSubscriptionRecord[]> {
    assertCompanyToken(principal);
    return listSubscriptionsOfApp(this.db, principal.app.id);
  }

  /** One of the caller's subscriptions (404 otherwise). */
  async get(principal: Principal, id: string): Promise<EventSubscriptionRecord> {
    assertCompanyToken(principal);
    const found = await findSubscriptionOfApp(this.db, id, principal.app.id);
    if (!found) throw notFound(id);
    return found;
  }

  /** Deletes one of the caller's subscriptions, with its undelivered events (404 otherwise). */
  async delete(principal: Principal, id: string): Promise<void> {
    assertCompanyToken(principal);
    const deleted = await this.db
      .transaction()
      .execute((trx) => deleteSubscription(trx, id, principal.app.id));
    if (!deleted) throw notFound(id);
  }
}
