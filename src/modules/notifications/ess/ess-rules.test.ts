/** The pure rules of ESS: which event a change is, which answers are retried, filters. */
import { describe, expect, it } from 'vitest';
import { essAttemptRecord, isRetryable } from './ess-delivery.js';
import { itineraryEventType } from './ess-outbox.js';
import { matchingEventTypes } from './ess-subscription.service.js';
import { TOPICS } from './ess-topics.js';

const policy = { backoffBaseMs: 1_000, backoffCapMs: 60_000 };
const fail = (status: number | null) =>
  ({
    ok: false,
    status,
    error: 'x',
    code: status === null ? 'ECONNREFUSED' : 'http_status',
  }) as const;

describe('itineraryEventType', () => {
  it('maps each change kind, and a merged-away trip to ItineraryDeleted', () => {
    expect(itineraryEventType('CREATE', false)).toBe('ItineraryCreated');
    expect(itineraryEventType('UPDATE', false)).toBe('ItineraryUpdated');
    expect(itineraryEventType('CANCEL', false)).toBe('ItineraryCancelled');
    expect(itineraryEventType('CANCEL', true)).toBe('ItineraryDeleted');
    expect(itineraryEventType('DELETE', true)).toBe('ItineraryDeleted');
    expect(itineraryEventType('ANONYMIZE', false)).toBe('ItineraryAnonymized');
  });
});

describe('ESS retry rules', () => {
  it('retries 5xx, 401, 403, 429 and network failures; not other 4xx or 3xx', () => {
    for (const status of [500, 502, 503, 599, 401, 403, 429, null]) {
      expect(isRetryable(fail(status)), String(status)).toBe(true);
    }
    for (const status of [400, 404, 408, 410, 422, 301, 302]) {
      expect(isRetryable(fail(status)), String(status)).toBe(false);
    }
  });

  it('a final answer is dead at once; a retryable one waits, at most until expiry', () => {
    const row = { attempts: 0, expires_at: 10_000 };
    expect(essAttemptRecord(fail(400), row, 0, policy).kind).toBe('dead');
    const retry = essAttemptRecord(fail(503), row, 9_900, policy, () => 0.99);
    expect(retry).toMatchObject({ kind: 'retry', nextAttemptAt: 10_000 });
    expect(essAttemptRecord(fail(503), row, 10_000, policy).kind).toBe('dead');
    expect(essAttemptRecord({ ok: true, status: 204 }, row, 5, policy).kind).toBe('delivered');
  });
});

describe('matchingEventTypes', () => {
  const topic = TOPICS[0];
  if (!topic) throw new Error('no topic');
  it('matches whole event types', () => {
    expect(matchingEventTypes('.*', topic)).toHaveLength(5);
    expect(matchingEventTypes('ItineraryCreated|ItineraryUpdated', topic)).toEqual([
      'ItineraryCreated',
      'ItineraryUpdated',
    ]);
    expect(matchingEventTypes('Created', topic)).toEqual([]);
    expect(matchingEventTypes('Itinerary(Deleted|Anonymized)', topic)).toEqual([
      'ItineraryDeleted',
      'ItineraryAnonymized',
    ]);
  });
});
