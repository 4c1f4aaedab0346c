/**
 * The ESS v4 topics Itinera publishes and the scopes that open them (docs/EVENTS.md). ESS asks
 * for two scopes: `events.topic.read` for the API itself, and each topic's own scope for the
 * topic (v4.event-subscription "Scope Usage"). The scope names live here, in one place.
 */

/** The ESS API scope. */
export const EVENTS_SCOPE = 'events.topic.read';
/** The scope of the itinerary topic (and of Itinerary v4 reads). */
export const ITINERARY_READ_SCOPE = 'travel.itinerary.read';
/** The itinerary topic (v4.itinerary-events). */
export const ITINERARY_TOPIC = 'public.concur.travel.itinerary';

/**
 * The itinerary topic's event types. The doc's table spells one `ItineraryAonymized`; its
 * overview and the issue say anonymized: Itinera emits `ItineraryAnonymized`
 * (docs/COMPATIBILITY.md).
 */
export const ITINERARY_EVENT_TYPES = [
  'ItineraryCreated',
  'ItineraryUpdated',
  'ItineraryCancelled',
  'ItineraryDeleted',
  'ItineraryAnonymized',
] as const;
export type ItineraryEventType = (typeof ITINERARY_EVENT_TYPES)[number];

export interface Topic {
  name: string;
  /** The scope a token needs, besides EVENTS_SCOPE, to see and subscribe to the topic. */
  scope: string;
  eventTypes: readonly string[];
}

export const TOPICS: readonly Topic[] = [
  { name: ITINERARY_TOPIC, scope: ITINERARY_READ_SCOPE, eventTypes: ITINERARY_EVENT_TYPES },
];

/** The topics a token's scopes open (ESS answers an empty list without a topic scope). */
export function topicsFor(scopes: readonly string[]): Topic[] {
  return TOPICS.filter((topic) => scopes.includes(topic.scope));
}

/** A topic by name, or undefined. */
export function findTopic(name: string): Topic | undefined {
  return TOPICS.find((topic) => topic.name === name);
}
