/**
 * The company notification endpoints: Concur's subscribe and unsubscribe (SPEC §2.8, XML like
 * the rest of the Concur surface) and Itinera's admin API over the outbox (JSON).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DatabaseHandle } from '../../db/connect.js';
import { xmlReply } from '../../http/api-docs/route-operation.js';
import { concurQuery } from '../../http/query-parameters.js';
import { QueryEnum, QueryInteger } from '../../http/query-schema.js';
import { sendXml } from '../../http/xml-reply.js';
import type { SecretBox } from '../../security/secret-box.js';
import {
  MAX_LIST_LIMIT,
  NOTIFICATION_STATUSES,
  NotificationAdminService,
} from './admin/notification-admin.service.js';
import { principalOf } from './module-ports.js';
import { presentSubscription } from './notification.presenter.js';
import {
  assertCompanyAdmin,
  COMPANY_ADMIN_ACTIONS,
  CONCUR_NOTIFICATION_TYPES,
  SubscriptionService,
} from './subscriptions/subscription.service.js';

export const COMPANY_PATH = '/api/company/v1.0';

interface NotificationRoutesOptions {
  database: DatabaseHandle;
  /** A resent notification gets this long again (config.notificationMaxAgeSeconds). */
  maxAgeSeconds: number;
  /** Opens the server secret subscribers' signing secrets derive from (SECRETS_KEY). */
  secrets: SecretBox;
}

// Notifications carry itineraries: the same scope and per-(app, company) limits as the trip
// endpoints, so an app cannot use them to get around those limits.
const COMPANY = { scope: 'ITINER', rateLimited: true } as const;

/** `?type=`: one of Concur's types, in any case (the service says which it serves). */
const SubscriptionQuery = Type.Object({
  type: QueryEnum(CONCUR_NOTIFICATION_TYPES, {
    trim: true,
    missing: 'The type parameter is required; Itinera serves type=itinerary.',
    invalid: "Unknown notification type '{value}'; Itinera serves type=itinerary.",
  }),
});

/** The delivery list's filter and paging, checked in this order. */
const ListQuery = Type.Object({
  status: Type.Optional(
    QueryEnum(NOTIFICATION_STATUSES, {
      invalid: `status must be one of ${NOTIFICATION_STATUSES.join(', ')} (got '{value}').`,
    }),
  ),
  limit: Type.Optional(
    QueryInteger({
      minimum: 1,
      maximum: MAX_LIST_LIMIT,
      invalid: `limit must be a whole number from 1 to ${MAX_LIST_LIMIT} (got '{value}').`,
    }),
  ),
  before: Type.Optional(Type.String()),
});

const ResendParams = Type.Object({ id: Type.String() });

/**
 * A `preValidation` hook refusing callers that do not administer their company, so that they
 * hear 403 before anything about their parameters (the service checks again).
 */
function companyAdminOnly(action: string) {
  return async (request: FastifyRequest): Promise<void> =>
    assertCompanyAdmin(principalOf(request), action);
}

/** Registers subscribe, unsubscribe, the delivery list and resend. */
export async function notificationRoutes(app: FastifyInstance, options: NotificationRoutesOptions) {
  const subscriptions = new SubscriptionService(options.database.db, options.secrets);
  const admin = new NotificationAdminService(options.database.db, {
    maxAgeSeconds: options.maxAgeSeconds,
  });
  const routes = app.withTypeProvider<TypeBoxTypeProvider>();
  const subscription = (action: string, summary: string) => ({
    config: COMPANY,
    schema: {
      summary,
      tags: ['Notifications'],
      querystring: SubscriptionQuery,
      response: { 200: xmlReply('Subscription', 'The subscription now.') },
    },
    preValidation: [concurQuery(SubscriptionQuery), companyAdminOnly(action)],
  });

  routes.post(
    `${COMPANY_PATH}/subscribe`,
    subscription(COMPANY_ADMIN_ACTIONS.subscribe, 'Subscribe the company to notifications'),
    async (request, reply) => {
      const state = await subscriptions.subscribe(principalOf(request), request.query.type);
      return sendXml(reply, presentSubscription(state));
    },
  );

  routes.post(
    `${COMPANY_PATH}/unsubscribe`,
    subscription(COMPANY_ADMIN_ACTIONS.unsubscribe, 'Unsubscribe the company'),
    async (request, reply) => {
      const state = await subscriptions.unsubscribe(principalOf(request), request.query.type);
      return sendXml(reply, presentSubscription(state));
    },
  );

  routes.get(
    `${COMPANY_PATH}/notifications`,
    {
      config: { ...COMPANY, errorFormat: 'json' },
      schema: {
        summary: 'List delivered and pending notifications',
        tags: ['Notifications'],
        querystring: ListQuery,
      },
      preValidation: [concurQuery(ListQuery), companyAdminOnly(COMPANY_ADMIN_ACTIONS.list)],
    },
    async (request) => admin.list(principalOf(request), request.query),
  );

  routes.post(
    `${COMPANY_PATH}/notifications/:id/resend`,
    {
      config: { ...COMPANY, errorFormat: 'json' },
      schema: { summary: 'Resend a notification', tags: ['Notifications'], params: ResendParams },
    },
    async (request) => admin.resend(principalOf(request), request.params.id),
  );
}
