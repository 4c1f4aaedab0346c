/**
 * Subscribing to change notifications (NOTES §2.8): `subscribe?type=itinerary` and
 * `unsubscribe?type=itinerary` for the caller's app and company, by a company administrator.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database.js';
import { errors } from '../../../errors.js';
import { findAppById, isAdmin, type Principal, WRITE_ADMIN_ROLES } from '../../accounts/index.js';
import { notificationSigningSecret } from '../delivery/notification-signing.js';
import {
  deleteSubscriptions,
  ITINERARY_TYPE,
  insertSubscription,
} from './subscription.repository.js';

/** Notification types Concur offers on the same endpoint that Itinera does not serve. */
const CONCUR_ONLY_TYPES = new Set(['fop', 'profile']);

/** A subscription as the routes answer it. */
export interface SubscriptionState {
  type: string;
  subscribed: boolean;
  /** The companies the subscription covers: the user's, or a company token's. */
  companyIds: readonly string[];
  postbackUrl?: string;
  signingSecret?: string;
}

/** Refuses callers that do not administer their company (company tokens do). */
export function assertCompanyAdmin(principal: Principal, what: string): void {
  if (!isAdmin(principal, WRITE_ADMIN_ROLES)) {
    throw errors.forbidden(
      `${what} requires a company administrator (CompanyAdministrator, WebServicesAdministrator or CanAdminister).`,
    );
  }
}

/** The notification type of a request: only `itinerary` (any case). */
export function notificationType(raw: string | undefined): string {
  const type = raw?.trim().toLowerCase();
  if (!type)
    throw errors.badRequest('The type parameter is required; Itinera serves type=itinerary.');
  if (CONCUR_ONLY_TYPES.has(type)) {
    throw errors.badRequest(
      `Notifications of type '${type}' are not served by Itinera; only type=itinerary is.`,
    );
  }
  if (type !== ITINERARY_TYPE) {
    throw errors.badRequest(`Unknown notification type '${raw}'; Itinera serves type=itinerary.`);
  }
  return type;
}

export class SubscriptionService {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Subscribes the caller's app for the caller's companies. Subscribing again changes nothing.
   * The app must have a postback URL: that is where notifications go.
   */
  async subscribe(principal: Principal, rawType: string | undefined): Promise<SubscriptionState> {
    assertCompanyAdmin(principal, 'Subscribing to notifications');
    const type = notificationType(rawType);
    const app = await findAppById(this.db, principal.app.id);
    const postbackUrl = app?.postback_url;
    if (!postbackUrl) {
      throw errors.badRequest(
        `The application '${principal.app.name}' has no postback URL registered, so it cannot subscribe; set postbackUrl in its record.`,
      );
    }
    const now = Date.now();
    for (const companyId of principal.companyIds) {
      await insertSubscription(this.db, {
        appId: principal.app.id,
        companyId,
        type,
        createdBy: principal.user?.id ?? null,
        now,
      });
    }
    return {
      type,
      subscribed: true,
      companyIds: principal.companyIds,
      postbackUrl,
      signingSecret: await notificationSigningSecret(this.db, principal.app.id),
    };
  }

  /** Stops new notifications for the caller's app and companies (queued ones still go out). */
  async unsubscribe(principal: Principal, rawType: string | undefined): Promise<SubscriptionState> {
    assertCompanyAdmin(principal, 'Unsubscribing from notifications');
    const type = notificationType(rawType);
    await deleteSubscriptions(this.db, principal.app.id, principal.companyIds, type);
    return { type, subscribed: false, companyIds: principal.companyIds };
  }
}
