/**
 * The itinerary services as the server and the CLI use them: trip writes report their changes
 * to the v1.1 notification outbox (docs/NOTIFICATIONS.md) and the ESS outbox (docs/EVENTS.md),
 * store the rendering most reads send, and have the answers kept for retries forget a deleted
 * or anonymized trip. One wiring, so that `itinera delete-trip` does what the API does.
 */
import type { DatabaseHandle } from '../db/connect.js';
import { forgetAnswersOfTrips } from '../modules/idempotency/index.js';
import {
  createItineraryServices,
  type ItineraryServices,
} from '../modules/itineraries/itinerary-services.js';
import { storedItinerary } from '../modules/itineraries/present/itinerary.presenter.js';
import { tripCeiling } from '../modules/itineraries/rules/trip-ceiling.js';
import { EssOutbox } from '../modules/notifications/ess/ess-outbox.js';
import { renderNotification } from '../modules/notifications/notification.presenter.js';
import { combinedChangeLog } from '../modules/notifications/outbox/change-logs.js';
import { NotificationOutbox } from '../modules/notifications/outbox/notification-outbox.js';
import { notifyOutboxWritten } from '../modules/notifications/outbox/notification-outbox-signal.js';

/** Wires the itinerary services on `database`. */
export function wireItineraries(
  database: DatabaseHandle,
  options: {
    notificationMaxAgeSeconds: number;
    /** Memory for kept trip list pages (absent: none, as the CLI's commands list nothing). */
    listCacheMb?: number;
    /** Memory for trips kept for their details (absent: none). */
    tripCacheMb?: number;
    /** The ceiling on a trip (absent: the CLI, whose writes never grow a trip). */
    maxTripBookings?: number;
    maxTripSegments?: number;
    bodyLimitBytes?: number;
    /** A failed fold of PostgreSQL's day counts (absent: not told). */
    onTotalsFoldError?: (error: unknown) => void;
  },
): ItineraryServices {
  const { maxTripBookings, maxTripSegments, bodyLimitBytes } = options;
  const ceiling =
    maxTripBookings !== undefined && maxTripSegments !== undefined && bodyLimitBytes !== undefined
      ? tripCeiling({ maxBookings: maxTripBookings, maxSegments: maxTripSegments, bodyLimitBytes })
      : undefined;
  const outbox = new NotificationOutbox(database.db, {
    maxAgeSeconds: options.notificationMaxAgeSeconds,
    render: renderNotification,
    // Wakes the delivery worker of this process (or, in a cluster, the primary's) at once.
    onWritten: notifyOutboxWritten,
  });
  return createItineraryServices({
    database,
    listCacheBytes: (options.listCacheMb ?? 0) * 1024 * 1024,
    tripCacheBytes: (options.tripCacheMb ?? 0) * 1024 * 1024,
    ...(options.onTotalsFoldError ? { onTotalsFoldError: options.onTotalsFoldError } : {}),
    changes: combinedChangeLog([outbox, new EssOutbox(notifyOutboxWritten)]),
    // What is stored beside each trip: the form most reads send (no administrator's UserLoginId).
    renderStored: storedItinerary,
    ...(ceiling ? { ceiling } : {}),
    // Answers kept for retries may hold a trip's rendering: a deleted or anonymized trip's go.
    holders: [{ forget: (trx, tripIds) => forgetAnswersOfTrips(trx, tripIds) }],
  });
}
