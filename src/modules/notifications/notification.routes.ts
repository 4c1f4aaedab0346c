/**
 * The company notification endpoints: Concur's subscribe and unsubscribe (NOTES §2.8, XML like
 * the rest of the Concur surface) and Itinera's admin API over the outbox (JSON).
 */
import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '../../db/connect.js';
import { lowerCaseParameters } from '../../http/query-parameters.js';
import { sendXml } from '../../http/xml-reply.js';
import { principalOf } from '../accounts/index.js';
import { NotificationAdminService } from './admin/notification-admin.service.js';
import { presentSubscription } from './notification.presenter.js';
import { SubscriptionService } from './subscriptions/subscription.service.js';

export const COMPANY_PATH = '/api/company/v1.0';

interface NotificationRoutesOptions {
  database: DatabaseHandle;
  /** A resent notification gets this long again (config.notificationMaxAgeSeconds). */
  maxAgeSeconds: number;
}

// Notifications carry itineraries: the same scope and per-(app, company) limits as the trip
// endpoints, so an app cannot use them to get around those limits.
const COMPANY = { scope: 'ITINER', rateLimited: true } as const;

/** Registers subscribe, unsubscribe, the delivery list and resend. */
export async function notificationRoutes(app: FastifyInstance, options: NotificationRoutesOptions) {
  const subscriptions = new SubscriptionService(options.database.db);
  const admin = new NotificationAdminService(options.database.db, {
    maxAgeSeconds: options.maxAgeSeconds,
  });

  app.post(`${COMPANY_PATH}/subscribe`, { config: COMPANY }, async (request, reply) => {
    const { lower } = lowerCaseParameters(request.query);
    const state = await subscriptions.subscribe(principalOf(request), lower.type);
    return sendXml(reply, presentSubscription(state));
  });

  app.post(`${COMPANY_PATH}/unsubscribe`, { config: COMPANY }, async (request, reply) => {
    const { lower } = lowerCaseParameters(request.query);
    const state = await subscriptions.unsubscribe(principalOf(request), lower.type);
    return sendXml(reply, presentSubscription(state));
  });

  app.get(
    `${COMPANY_PATH}/notifications`,
    { config: { ...COMPANY, errorFormat: 'json' } },
    async (request) => {
      const { lower } = lowerCaseParameters(request.query);
      return admin.list(principalOf(request), lower);
    },
  );

  app.post<{ Params: { id: string } }>(
    `${COMPANY_PATH}/notifications/:id/resend`,
    { config: { ...COMPANY, errorFormat: 'json' } },
    async (request) => admin.resend(principalOf(request), request.params.id),
  );
}
