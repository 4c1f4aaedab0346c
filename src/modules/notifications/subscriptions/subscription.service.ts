/**
 * Subscribing to change notifications (SPEC §2.8): `subscribe?type=itinerary` and
 * `unsubscribe?type=itinerary` for the caller's app and company, by a company administrator.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database.js';
import { errors } from '../../../errors.js';
import type { SecretBox } from '../../../security/secret-box.js';
import { notificationSigningSecret } from '../delivery/notification-signing.js';
import { findAppById, isAdmin, type Principal, WRITE_ADMIN_ROLES } from '../module-ports.js';
import {
  deleteSubscriptions,
  ITINERARY_TYPE,
  insertSubscription,
} from './subscription.repository.js';

/**
 * The notification types Concur offers on these endpoints (the routes refuse any other). Only
 * `itinerary` is served by Itinera.
 */
export const CONCUR_NOTIFICATION_TYPES = [ITINERARY_TYPE, 'fop', 'profile'] as const;
export type ConcurNotificationType = (typeof CONCUR_NOTIFICATION_TYPES)[number];

/** How each notification endpoint is named in its 403 (assertCompanyAdmin). */
export const COMPANY_ADMIN_ACTIONS = {
  subscribe: 'Subscribing to notifications',
  unsubscribe: 'Unsubscribing from notifications',
  list: 'Listing notifications',
  resend: 'Resending notifications',
} as const;

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

/** The type a subscription is for: Concur's other types are not served here. */
function servedType(type: ConcurNotificationType): typeof ITINERARY_TYPE {
  if (type !== ITINERARY_TYPE) {
    throw errors.badRequest(
      `Notifications of type '${type}' are not served by Itinera; only type=itinerary is.`,
    );
  }
  return type;
}

export class SubscriptionService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly secrets: SecretBox,
  ) {}

  /**
   * Subscribes the caller's app for the caller's companies. Subscribing again changes nothing.
   * The app must have a postback URL: that is where notifications go.
   */
  async subscribe(
    principal: Principal,
    requested: ConcurNotificationType,
  ): Promise<SubscriptionState> {
    assertCompanyAdmin(principal, COMPANY_ADMIN_ACTIONS.subscribe);
    const type = servedType(requested);
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
      signingSecret: await notificationSigningSecret(this.db, this.secrets, principal.app.id),
    };
  }

  /** Stops new notifications for the caller's app and companies (queued ones still go out). */
  async unsubscribe(
    principal: Principal,
    requested: ConcurNotificationType,
  ): Promise<SubscriptionState> {
    assertCompanyAdmin(principal, COMPANY_ADMIN_ACTIONS.unsubscribe);
    const type = servedType(requested);
    await deleteSubscriptions(this.db, principal.app.id, principal.companyIds, type);
    return { type, subscribed: false, companyIds: principal.companyIds };
  }
}
