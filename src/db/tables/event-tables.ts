/**
 * The tables of ESS v4 (docs/EVENTS.md): webhook subscriptions, the companies they cover and
 * the log of delivery attempts. Kept apart from database.ts, which lists them in `Database`.
 */

/** Which surface an outbox row belongs to. */
export type NotificationChannel = 'v1' | 'ess';

/** An ESS v4 webhook subscription (docs/EVENTS.md). */
export interface EventSubscriptionsTable {
  id: string;
  app_id: string;
  topic: string;
  filter: string;
  /** JSON array: the topic's event types the filter matched when saved. */
  event_types: string;
  endpoint: string;
  created_at: number;
  updated_at: number;
}

/** The companies whose events a subscription receives. */
export interface EventSubscriptionCompaniesTable {
  company_id: string;
  subscription_id: string;
}

/** One ESS delivery attempt, listable by the subscriber for 30 days. */
export interface EventDeliveryAttemptsTable {
  id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  /** 1 for the first attempt. */
  attempt: number;
  attempted_at: number;
  duration_ms: number;
  status: number | null;
  outcome: 'delivered' | 'retry' | 'dead';
  /** A short failure class (`timeout`, `ECONNREFUSED`, `http_status` …), never a message. */
  error_class: string | null;
}
