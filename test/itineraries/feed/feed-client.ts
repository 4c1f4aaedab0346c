/**
 * A client of the trip change feed, as an integrator writes one: one page, or every page by
 * following `next` until a page comes back empty.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { auth, queryString } from '../../helpers/trip-requests.js';

export const FEED_PATH = '/travel/v4/trip-changes';

export interface FeedChange {
  tripId: string;
  type: 'created' | 'updated' | 'cancelled' | 'deleted' | 'anonymized';
  at: string;
}

export interface FeedPage {
  changes: FeedChange[];
  next: string;
}

/** GET one page of the feed. */
export function getFeed(
  app: FastifyInstance,
  token: string,
  query: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'GET',
    url: `${FEED_PATH}${queryString(query)}`,
    headers: auth(token),
  });
}

/** One page, expecting 200. */
export async function feedPage(
  app: FastifyInstance,
  token: string,
  query: Record<string, string> = {},
): Promise<FeedPage> {
  const response = await getFeed(app, token, query);
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  return response.json() as FeedPage;
}

/** Follows `next` from `after` (absent: the start) until an empty page; every change and the last cursor. */
export async function followFeed(
  app: FastifyInstance,
  token: string,
  after?: string,
  limit = 100,
): Promise<{ changes: FeedChange[]; next: string; pages: number }> {
  const changes: FeedChange[] = [];
  let cursor = after;
  let pages = 0;
  for (;;) {
    const page = await feedPage(app, token, {
      limit: String(limit),
      ...(cursor !== undefined ? { after: cursor } : {}),
    });
    pages += 1;
    cursor = page.next;
    if (page.changes.length === 0) return { changes, next: page.next, pages };
    changes.push(...page.changes);
  }
}

/** `tripId type` of each change, to compare sequences briefly. */
export function brief(changes: readonly FeedChange[]): string[] {
  return changes.map((c) => `${c.tripId} ${c.type}`);
}
