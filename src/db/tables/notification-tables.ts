/**
 * The tables of the v1.1 notifications (docs/NOTIFICATIONS.md): subscriptions and the outbox,
 * which ESS events share. Kept apart from database.ts, which lists them in `Database`.
 */
import type { Generated } from 'kysely';
import type { NotificationChannel } from './event-tables.js';

/** An app's subscription to a company's change notifications (Concur: `subscribe?type=`). */
export interface NotificationSubscriptionsTable {
  app_id: string;
  company_id: string;
  /** The notification type; only `itinerary` is served. */
  type: string;
  /** The user whose admin token subscribed. */
  created_by: string | null;
  created_at: number;
}

/** Where a notification is in its delivery. */
export type NotificationStatus = 'pending' | 'delivered' | 'dead';

/** The outbox: one row per (change, subscribed app), written in the change's transaction. */
export interface NotificationsTable {
  /** Also the delivery id sent with every attempt, for the receiver's de-duplication. */
  id: string;
  app_id: string;
  company_id: string;
  trip_id: string;
  /** The traveller whose trip changed (sent as `userid_value` by login id). */
  user_id: string;
  login_id: string;
  /** v1.1: CREATE, UPDATE or CANCEL; ESS: the event's `eventType` (ItineraryCreated …). */
  event_type: string;
  event_at: number;
  /** The `<Notification>` XML, rendered when the change was written. */
  body: string;
  status: NotificationStatus;
  attempts: Generated<number>;
  next_attempt_at: number;
  /** The worker holding the row and until when; past that instant another worker may take it. */
  claimed_by: string | null;
  claimed_until: number | null;
  last_attempt_at: number | null;
  /** HTTP status of the last attempt, if the receiver answered. */
  last_status: number | null;
  last_error: string | null;
  /** After this instant a failing notification is given up (marked dead). */
  expires_at: number;
  delivered_at: number | null;
  created_at: number;
  /** `v1`: a Concur v1.1 notification to the app's postback URL; `ess`: an ESS v4 event. */
  channel: Generated<NotificationChannel>;
  /** ESS: the subscription the event goes to. */
  subscription_id: Generated<string | null>;
  /** ESS: the event's `id`, the same on every attempt and for every subscriber. */
  event_id: Generated<string | null>;
}
