/**
 * Itinerary events into the outbox, inside the transaction of the change they report: one
 * `notifications` row of channel `ess` per (change, subscription) whose filter takes the event
 * and whose app may see the trip (the v1.1 notification audience rule, docs/ACCESS.md). The
 * event id is made here, once per change, and stays the same for every subscriber and attempt.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database, Executor, NewNotification } from '../../../db/database.js';
import type { TripChange, TripChangeBatch, TripChangeLog } from '../module-ports.js';
import { insertNotifications } from '../notification.repository.js';
import { notificationAudience } from '../outbox/notification-audience.js';
import { renderItineraryEvent } from './ess-event.presenter.js';
import { type CompanySubscriber, subscribersOfCompany } from './ess-subscription.repository.js';
import { ITINERARY_TOPIC, type ItineraryEventType } from './ess-topics.js';

/** ESS retains an event this long after it was published (v4.event-subscription). */
export const EVENT_RETENTION_MS = 72 * 3_600_000;

/** The kinds of change a writer reports: each maps to one event type. */
export type ReportedChangeKind = TripChange['eventType'];

/** The event type of a change. A trip removed by a booking merge is gone: ItineraryDeleted. */
export function itineraryEventType(
  kind: ReportedChangeKind,
  tripGone: boolean,
): ItineraryEventType {
  switch (kind) {
    case 'CREATE':
      return 'ItineraryCreated';
    case 'UPDATE':
      return 'ItineraryUpdated';
    case 'CANCEL':
      return tripGone ? 'ItineraryDeleted' : 'ItineraryCancelled';
    case 'DELETE':
      return 'ItineraryDeleted';
    case 'ANONYMIZE':
      return 'ItineraryAnonymized';
  }
}

/** Opens the ESS batch of each write. One per application. */
export class EssOutbox implements TripChangeLog {
  private recorded = false;

  /** `onWritten`: as OutboxOptions.onWritten, wakes the delivery worker. */
  constructor(private readonly onWritten?: () => void) {}

  /** See NotificationOutbox.written: one wake-up after commits that recorded rows. */
  written(): void {
    if (!this.recorded) return;
    this.recorded = false;
    this.onWritten?.();
  }

  /**
   * Nothing to forget: an ESS row names the trip and the user by id only (its `login_id` is
   * empty), so pending events stay and are delivered in order before ItineraryDeleted.
   */
  async forget(_trx: Transaction<Database>, _tripIds: readonly string[]): Promise<void> {}

  /** The batch of one write, or undefined when no subscription covers the company. */
  async open(db: Executor, companyId: string, baseUrl: string): Promise<EssBatch | undefined> {
    const subscribers = await subscribersOfCompany(db, companyId, ITINERARY_TOPIC);
    if (subscribers.length === 0) return undefined;
    return new EssBatch(subscribers, baseUrl, () => {
      this.recorded = true;
    });
  }
}

/** The events of one write; its changes share one correlation id. */
export class EssBatch implements TripChangeBatch {
  private readonly correlationId = randomUUID();

  constructor(
    private readonly subscribers: readonly CompanySubscriber[],
    private readonly baseUrl: string,
    private readonly onRecorded: () => void,
  ) {}

  /** Inserts one row per subscription that takes this event and may see the trip. */
  async record(trx: Transaction<Database>, change: TripChange): Promise<void> {
    const eventType = itineraryEventType(change.eventType, change.after === undefined);
    const bookings = [...(change.before?.bookings ?? []), ...(change.after?.bookings ?? [])];
    const eventId = randomUUID();
    const body = renderItineraryEvent({
      id: eventId,
      correlationId: this.correlationId,
      eventType,
      at: change.now,
      tripId: change.tripId,
      userId: change.owner.id,
      companyId: change.owner.company_id,
      baseUrl: this.baseUrl,
    });
    const rows: NewNotification[] = [];
    for (const subscriber of this.subscribers) {
      if (!subscriber.eventTypes.includes(eventType)) continue;
      if (!notificationAudience(subscriber.app, { agencyId: change.agencyId, bookings })) continue;
      rows.push({
        id: randomUUID(),
        channel: 'ess',
        subscription_id: subscriber.subscriptionId,
        event_id: eventId,
        app_id: subscriber.app.id,
        company_id: change.owner.company_id,
        trip_id: change.tripId,
        user_id: change.owner.id,
        // The event names the user by id only; the login id is not kept for it.
        login_id: '',
        event_type: eventType,
        event_at: change.now,
        body,
        status: 'pending',
        attempts: 0,
        next_attempt_at: change.now,
        expires_at: change.now + EVENT_RETENTION_MS,
        created_at: change.now,
      });
    }
    await insertNotifications(trx, rows);
    if (rows.length > 0) this.onRecorded();
  }
}
