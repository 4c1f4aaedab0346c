/**
 * The JSON of an itinerary event (v4.itinerary-events "Schema"): `facts.hrefs.v4` points at
 * the trip in Itinerary v4, whose id is the v1.1 TripId; deleted and anonymized trips have no
 * href, as the doc's sample shows.
 */
import type { ItineraryEventType } from './ess-topics.js';
import { ITINERARY_TOPIC } from './ess-topics.js';

export interface ItineraryEventContent {
  id: string;
  correlationId: string;
  eventType: ItineraryEventType;
  /** When the change was written (epoch ms). */
  at: number;
  tripId: string;
  userId: string;
  companyId: string;
  /** The public base URL the change came through (PUBLIC_BASE_URL or the request's). */
  baseUrl: string;
}

/** The v4 URL of a trip. */
export function v4TripUrl(baseUrl: string, tripId: string): string {
  return `${baseUrl}/travel/v4/trips/${encodeURIComponent(tripId)}`;
}

/** The event body, as sent (the signature covers these exact bytes). */
export function renderItineraryEvent(event: ItineraryEventContent): string {
  const gone = event.eventType === 'ItineraryDeleted' || event.eventType === 'ItineraryAnonymized';
  return JSON.stringify({
    id: event.id,
    eventType: event.eventType,
    timeStamp: new Date(event.at).toISOString(),
    topic: ITINERARY_TOPIC,
    correlationId: event.correlationId,
    facts: {
      id: event.tripId,
      userId: event.userId,
      companyId: event.companyId,
      ...(gone ? {} : { hrefs: { v4: v4TripUrl(event.baseUrl, event.tripId) } }),
    },
  });
}
