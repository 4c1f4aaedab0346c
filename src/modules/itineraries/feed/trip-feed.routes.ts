/**
 * `GET /travel/v4/trip-changes`: the trip change feed (Itinera's extension for clients that
 * cannot receive webhooks; docs/CHANGE-FEED.md). JSON in and out, errors as JSON.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { errors } from '../../../errors.js';
import { concurQuery } from '../../../http/query-parameters.js';
import { QueryInteger, QueryText } from '../../../http/query-schema.js';
import { MAX_CURSOR_LENGTH } from './feed-cursor.js';
import { TRIP_CHANGE_TYPES } from './trip-feed.repository.js';
import { FEED_MAX_LIMIT, type TripFeedService } from './trip-feed.service.js';

export const TRIP_CHANGES_PATH = '/travel/v4/trip-changes';

const FeedQuery = Type.Object({
  after: Type.Optional(
    QueryText({
      minLength: 1,
      invalid: 'The after parameter is empty; send the next value of a previous answer.',
    }),
  ),
  limit: Type.Optional(
    QueryInteger({
      minimum: 1,
      maximum: FEED_MAX_LIMIT,
      invalid: `limit must be a whole number from 1 to ${FEED_MAX_LIMIT} (got '{value}').`,
    }),
  ),
});

const FeedReply = Type.Object({
  changes: Type.Array(
    Type.Object({
      tripId: Type.String(),
      type: Type.Union(TRIP_CHANGE_TYPES.map((t) => Type.Literal(t))),
      at: Type.String({ format: 'date-time' }),
    }),
  ),
  next: Type.String({ maxLength: MAX_CURSOR_LENGTH }),
});

interface TripFeedRoutesOptions {
  feed: TripFeedService;
}

/** Registers the feed route. */
export async function tripFeedRoutes(app: FastifyInstance, options: TripFeedRoutesOptions) {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    TRIP_CHANGES_PATH,
    {
      // v4's read scope, like the v4 trips it names; ITINER (the v1.1 trip endpoints' scope, which
      // the feed asked for before v4 existed) still works. Per-(app, company) request limits.
      config: {
        scope: ['travel.itinerary.read', 'ITINER'],
        rateLimited: true,
        errorFormat: 'json',
      },
      schema: {
        summary: 'Trip changes in commit order, with tombstones (Itinera)',
        description: 'Follow `next` to never miss a change (docs/CHANGE-FEED.md).',
        tags: ['Itinerary v4'],
        querystring: FeedQuery,
        response: { 200: FeedReply },
      },
      preValidation: [concurQuery(FeedQuery)],
    },
    async (request) => {
      const { after, limit } = request.query;
      // Set by the auth hook for every route with a scope (the accounts module declares it).
      if (!request.principal) throw errors.unauthorized();
      const page = await options.feed.read(request.principal, after, limit);
      return {
        changes: page.changes.map((change) => ({
          tripId: change.tripId,
          type: change.type,
          at: new Date(change.at).toISOString(),
        })),
        next: page.next,
      };
    },
  );
}
