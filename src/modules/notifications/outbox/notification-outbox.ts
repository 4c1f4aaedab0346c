/**
 * Writing notifications into the outbox, inside the transaction of the change they report
 * (docs/NOTIFICATIONS.md): a change that commits has its notifications, a change that rolls back
 * has none. The trip and booking services open a batch per write; a company without
 * subscribers (the usual case) costs one indexed query and nothing else is loaded.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database, Executor, NewNotification } from '../../../db/database.js';
import type { TripChange, TripChangeBatch, TripChangeLog } from '../module-ports.js';
import type { NotificationContent, NotificationEventType } from '../notification.presenter.js';
import { forgetNotificationsOfTrips, insertNotifications } from '../notification.repository.js';
import { SubscriberQuery } from '../subscriptions/subscription.repository.js';
import { notificationAudience, type SubscriberApp } from './notification-audience.js';
import { describeChanges } from './notification-changes.js';

/** Renders a notification body; given by the wiring, so that this code knows no XML. */
export type NotificationRenderer = (content: NotificationContent) => string;

export interface OutboxOptions {
  /** A notification still failing this long after its change is given up. */
  maxAgeSeconds: number;
  render: NotificationRenderer;
  /**
   * Called after a write that recorded notifications has committed, so that a delivery worker
   * in this process can start at once instead of at its next poll.
   */
  onWritten?: () => void;
}

/**
 * What a v1.1 subscriber hears of a change: v1.1 knows only CREATE, UPDATE and CANCEL. A trip
 * deleted by an administrator is gone, as a trip absorbed by a merge: CANCEL. An anonymized
 * trip is an UPDATE with no change listed, so that a subscriber reads it again and replaces
 * its copy of the personal data (docs/COMPATIBILITY.md, "Deleting and anonymizing trips").
 */
export function v11EventType(kind: TripChange['eventType']): NotificationEventType {
  if (kind === 'DELETE') return 'CANCEL';
  if (kind === 'ANONYMIZE') return 'UPDATE';
  return kind;
}

/** Creates the notification batches of writes. One per application. */
export class NotificationOutbox implements TripChangeLog {
  private readonly subscribers: SubscriberQuery;
  /** Rows were recorded since the last `written()` (possibly not committed yet). */
  private recorded = false;

  constructor(
    db: Kysely<Database>,
    private readonly options: OutboxOptions,
  ) {
    this.subscribers = new SubscriberQuery(db);
  }

  /**
   * Writers call this once their transaction has committed. It calls `onWritten` when rows
   * were recorded since the last call: a write that rolled back may cause one needless call,
   * never a missed one, since every committing writer calls this after its commit.
   */
  written(): void {
    if (!this.recorded) return;
    this.recorded = false;
    this.options.onWritten?.();
  }

  /** Drops the trips' pending notifications (see `forgetNotificationsOfTrips`). */
  async forget(trx: Transaction<Database>, tripIds: readonly string[]): Promise<void> {
    await forgetNotificationsOfTrips(trx, tripIds);
  }

  /**
   * The notifications of one write for a company's trips, or undefined when the company has no
   * subscriber: then the writer skips everything a notification would need.
   */
  async open(
    db: Executor,
    companyId: string,
    baseUrl: string,
  ): Promise<NotificationBatch | undefined> {
    const subscribers = await this.subscribers.find(db, companyId);
    if (subscribers.length === 0) return undefined;
    return new NotificationBatch(subscribers, baseUrl, this.options, () => {
      this.recorded = true;
    });
  }
}

/** The notifications of one write, inserted as each change is recorded. */
export class NotificationBatch implements TripChangeBatch {
  constructor(
    private readonly subscribers: readonly SubscriberApp[],
    private readonly baseUrl: string,
    private readonly options: OutboxOptions,
    private readonly onRecorded: () => void,
  ) {}

  /** Inserts one outbox row per subscriber allowed to see the change. */
  async record(trx: Transaction<Database>, change: TripChange): Promise<void> {
    const eventType = v11EventType(change.eventType);
    const anonymized = change.eventType === 'ANONYMIZE';
    const bookings = [...(change.before?.bookings ?? []), ...(change.after?.bookings ?? [])];
    const bodies = new Map<string, string>();
    const rows: NewNotification[] = [];
    for (const app of this.subscribers) {
      const audience = notificationAudience(app, { agencyId: change.agencyId, bookings });
      if (!audience) continue;
      // Every full-view subscriber gets the same body; suppliers one per booking source.
      const key =
        audience.kind === 'full' ? '' : `supplier:${audience.bookingSource?.toLowerCase()}`;
      let body = bodies.get(key);
      if (body === undefined) {
        body = this.options.render({
          tripId: change.tripId,
          eventType,
          eventAt: change.now,
          baseUrl: this.baseUrl,
          // An anonymization lists nothing: what changed is personal data only.
          changes: describeChanges(
            anonymized ? change.after : change.before,
            change.after,
            audience,
            {
              mergedInto: change.mergedInto,
            },
          ),
        });
        bodies.set(key, body);
      }
      rows.push({
        id: randomUUID(),
        app_id: app.id,
        company_id: change.owner.company_id,
        trip_id: change.tripId,
        user_id: change.owner.id,
        login_id: change.owner.login_id,
        event_type: eventType,
        event_at: change.now,
        body,
        status: 'pending',
        attempts: 0,
        next_attempt_at: change.now,
        expires_at: change.now + this.options.maxAgeSeconds * 1000,
        created_at: change.now,
      });
    }
    await insertNotifications(trx, rows);
    if (rows.length > 0) this.onRecorded();
  }
}
