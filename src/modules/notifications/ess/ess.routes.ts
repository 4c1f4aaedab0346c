/**
 * ESS v4 (event-subscription-management): topics, webhook subscriptions, and Itinera's
 * extensions beside them — each subscription's delivery attempts and the public keys that
 * verify `Concur-Signature` (docs/EVENTS.md). JSON in and out, JSON errors.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '../../../db/connect.js';
import { concurQuery } from '../../../http/query-parameters.js';
import { QueryInteger } from '../../../http/query-schema.js';
import { principalOf } from '../module-ports.js';
import { presentAttempt, presentJwks, presentSubscription } from './ess.presenter.js';
import { EssDeliveryLogService, MAX_ATTEMPTS_PAGE } from './ess-delivery-log.service.js';
import type { EssSigningKeys } from './ess-signing-keys.js';
import { EventSubscriptionService } from './ess-subscription.service.js';
import { EVENTS_SCOPE } from './ess-topics.js';

export const EVENTS_PATH = '/events/v4';

interface EssRoutesOptions {
  database: DatabaseHandle;
  keys: EssSigningKeys;
  /** NOTIFICATION_ALLOW_PRIVATE_TARGETS (development: http to loopback endpoints). */
  allowPrivateTargets: boolean;
}

const ESS = { scope: EVENTS_SCOPE, rateLimited: true, errorFormat: 'json' } as const;

const SubscriptionId = Type.String({
  pattern: '^[a-z0-9.-]{1,128}$',
  invalidMessage: 'id must be 1 to 128 lowercase letters, digits, "." and "-" (got \'{value}\').',
  missingMessage: 'id is required: your unique subscription name.',
});

const SubscriptionBody = Type.Object({
  id: SubscriptionId,
  filter: Type.String({
    minLength: 1,
    maxLength: 256,
    invalidMessage: 'filter must be a regular expression of 1 to 256 characters, such as ".*".',
    missingMessage: 'filter is required (".*" for every event of the topic).',
  }),
  topic: Type.String({
    minLength: 1,
    maxLength: 128,
    invalidMessage: 'topic must be a topic name such as public.concur.travel.itinerary.',
    missingMessage: 'topic is required.',
  }),
  webHookConfig: Type.Object(
    { endpoint: Type.String({ minLength: 1, maxLength: 2048 }) },
    {
      invalidMessage:
        'webHookConfig must be {"endpoint": "<https URL of at most 2048 characters>"}.',
      missingMessage: 'webHookConfig.endpoint is required.',
    },
  ),
});

const IdParams = Type.Object({
  id: Type.String({ maxLength: 128, invalidMessage: 'The subscription id is too long.' }),
});

const AttemptsQuery = Type.Object({
  limit: Type.Optional(
    QueryInteger({
      minimum: 1,
      maximum: MAX_ATTEMPTS_PAGE,
      invalid: `limit must be a whole number from 1 to ${MAX_ATTEMPTS_PAGE} (got '{value}').`,
    }),
  ),
});

const KeyQuery = Type.Object({ kid: Type.Optional(Type.String({ maxLength: 64 })) });

/** Registers the ESS endpoints. */
export async function essRoutes(app: FastifyInstance, options: EssRoutesOptions) {
  const subscriptions = new EventSubscriptionService(options.database.db, {
    allowPrivateTargets: options.allowPrivateTargets,
  });
  const deliveries = new EssDeliveryLogService(options.database.db);
  const routes = app.withTypeProvider<TypeBoxTypeProvider>();

  routes.get(
    `${EVENTS_PATH}/topics`,
    {
      config: ESS,
      schema: { summary: 'List the topics the token may subscribe to', tags: ['Events (ESS v4)'] },
    },
    async (request) => subscriptions.topics(principalOf(request)),
  );

  routes.put(
    `${EVENTS_PATH}/subscriptions/webhook`,
    {
      config: ESS,
      schema: {
        summary: 'Create or replace a webhook subscription',
        tags: ['Events (ESS v4)'],
        body: SubscriptionBody,
      },
    },
    async (request) => {
      await subscriptions.save(principalOf(request), request.body);
      return { message: `Subscription '${request.body.id}' saved successfully` };
    },
  );

  routes.get(
    `${EVENTS_PATH}/subscriptions`,
    { config: ESS, schema: { summary: "List the app's subscriptions", tags: ['Events (ESS v4)'] } },
    async (request) => (await subscriptions.list(principalOf(request))).map(presentSubscription),
  );

  // ESS answers one subscription as a list of one.
  routes.get(
    `${EVENTS_PATH}/subscriptions/:id`,
    {
      config: ESS,
      schema: { summary: 'Get a subscription', tags: ['Events (ESS v4)'], params: IdParams },
    },
    async (request) => [
      presentSubscription(await subscriptions.get(principalOf(request), request.params.id)),
    ],
  );

  routes.delete(
    `${EVENTS_PATH}/subscriptions/:id`,
    {
      config: ESS,
      schema: { summary: 'Delete a subscription', tags: ['Events (ESS v4)'], params: IdParams },
    },
    async (request) => {
      await subscriptions.delete(principalOf(request), request.params.id);
      return { message: `Subscription '${request.params.id}' marked for deletion` };
    },
  );

  // Itinera's extension: the subscription's delivery attempts of the last 30 days.
  routes.get(
    `${EVENTS_PATH}/subscriptions/:id/deliveries`,
    {
      config: ESS,
      schema: {
        summary: "A subscription's delivery attempts of the last 30 days (Itinera)",
        tags: ['Events (ESS v4)'],
        params: IdParams,
        querystring: AttemptsQuery,
      },
      preValidation: [concurQuery(AttemptsQuery)],
    },
    async (request) => {
      const principal = principalOf(request);
      const subscription = await subscriptions.get(principal, request.params.id);
      const attempts = await deliveries.list(subscription.id, request.query.limit);
      return { subscriptionId: subscription.id, deliveries: attempts.map(presentAttempt) };
    },
  );

  // The keys that verify Concur-Signature: public, no token needed.
  routes.get(
    `${EVENTS_PATH}/public-key`,
    {
      config: { errorFormat: 'json' },
      schema: {
        summary: 'The public key that verifies Concur-Signature (PEM)',
        tags: ['Events (ESS v4)'],
        querystring: KeyQuery,
      },
    },
    async (request, reply) => {
      const keys = await options.keys.published();
      const kid = request.query.kid;
      const key = kid ? keys.find((k) => k.kid === kid) : keys.at(-1);
      if (!key) return reply.status(404).send({ error: 'not_found', message: `No key '${kid}'.` });
      reply.header('itinera-key-id', key.kid).header('cache-control', 'public, max-age=300');
      reply.type('application/x-pem-file');
      return key.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    },
  );

  routes.get(
    `${EVENTS_PATH}/public-keys`,
    {
      config: { errorFormat: 'json' },
      schema: { summary: 'The Concur-Signature keys as a JWKS', tags: ['Events (ESS v4)'] },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return presentJwks(await options.keys.published());
    },
  );
}
