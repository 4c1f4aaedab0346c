/**
 * The database as Kysely sees it: one interface per table. Timestamps are epoch milliseconds
 * in both dialects; documents are JSON (text on SQLite, jsonb on PostgreSQL) and are read back
 * through `readJson` because the two drivers return them differently.
 */
import type { ColumnType, Generated, Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type {
  EventDeliveryAttemptsTable,
  EventSubscriptionCompaniesTable,
  EventSubscriptionsTable,
} from './tables/event-tables.js';
import type { CalendarFeedsTable, CompanyExpense, TripExpense } from './tables/extension-tables.js';
import type {
  TripChangeMarksTable,
  TripChangesTable,
  TripDayCountsTable,
} from './tables/feed-tables.js';
import type { ImportRejectionsTable, ImportsTable } from './tables/import-tables.js';
import type {
  NotificationSubscriptionsTable,
  NotificationsTable,
} from './tables/notification-tables.js';
import type {
  IdempotencyKeysTable,
  RateLimitCountersTable,
  SignInFailuresTable,
} from './tables/request-tables.js';

/** A JSON column: written as a JSON string, read as a string (SQLite) or a value (PostgreSQL). */
export type JsonColumn = ColumnType<unknown, string, string>;

export interface CompaniesTable extends CompanyExpense {
  id: string;
  name: string;
  region: string;
  created_at: number;
  /** At least the length (ms) of the company's longest trip: bounds window queries. */
  trip_span_bound: Generated<number>;
}

export interface UsersTable {
  id: string;
  company_id: string;
  /** Login ids are unique across the service, compared case-insensitively (stored lower-case). */
  login_id: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  password_hash: string | null;
  /** JSON array of role names. */
  roles: string;
  active: number;
  created_at: number;
}

export interface AppsTable {
  id: string;
  client_id: string;
  client_secret_hash: string;
  name: string;
  kind: 'tmc' | 'supplier' | 'partner';
  /** JSON array of granted scopes. */
  scopes: string;
  booking_source: string | null;
  /** JSON array of travel types a supplier may post. */
  travel_types: string;
  postback_url: string | null;
  /** The travel agency a TMC app acts for; trips of other agencies stay hidden from it. */
  agency_id: string | null;
  /** JSON array of the redirect URIs registered for the authorization code grant. */
  redirect_uris: Generated<string>;
  active: number;
  created_at: number;
}

export interface AppCompaniesTable {
  app_id: string;
  company_id: string;
}

export interface SigningKeysTable {
  kid: string;
  private_jwk: string;
  public_jwk: string;
  created_at: number;
}

export interface RefreshTokensTable {
  id: string;
  token_hash: string;
  family_id: string;
  app_id: string;
  company_id: string;
  user_id: string | null;
  scope: string;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
  created_at: number;
}

/** How a trip came to be (see TripsTable.origin). */
export type TripOrigin = 'trip' | 'booking';
/**
 * `oauth2`: `/oauth2/v0/authorize`, exchanged at `/oauth2/v0/token`; `net2`: the pre-2017
 * `Login.aspx`, exchanged at `GetAccessToken.ashx`.
 */
export type AuthorizationCodeFlow = 'oauth2' | 'net2';

export interface AuthorizationCodesTable {
  id: string;
  /** SHA-256 of the code (base64url). */
  code_hash: string;
  app_id: string;
  user_id: string;
  company_id: string;
  redirect_uri: string;
  /** Granted scopes, space-separated. */
  scope: string;
  code_challenge: string | null;
  code_challenge_method: 'S256' | 'plain' | null;
  /** The page that issued it, and so the one exchange that accepts it. */
  flow: Generated<AuthorizationCodeFlow>;
  expires_at: number;
  used_at: number | null;
  created_at: number;
}

export interface AuthTokensTable {
  id: string;
  /** SHA-256 of the token (base64url). */
  token_hash: string;
  app_id: string;
  company_id: string;
  /** Successful exchanges so far. */
  uses: Generated<number>;
  expires_at: number;
  created_at: number;
}

export interface ServerSecretsTable {
  name: string;
  secret: string;
  created_at: number;
}

export interface TripsTable extends TripExpense {
  id: string;
  company_id: string;
  owner_id: string;
  name: string;
  status: number;
  /** Start/end instants used for window queries: UTC when known, else the local time read as UTC. */
  start_at: number | null;
  end_at: number | null;
  created_at: number;
  /** Last change of the trip or any of its bookings (the `lastModifiedDate` filter). */
  modified_at: number;
  /** Segment types present, as `,Air,Car,` so that one LIKE finds a type. */
  booking_types: string;
  triplink_locator: string;
  /** The agency of the TMC app that created the trip, if any (see AppsTable.agency_id). */
  agency_id: string | null;
  /** `trip`: posted as a trip (never merged into another); `booking`: made by the merge engine. */
  origin: ColumnType<TripOrigin, TripOrigin | undefined, TripOrigin>;
  /** JSON `TripSummary`: what the list endpoint shows without reading bookings. */
  summary: string;
  /** Trip-level elements (everything but Bookings). */
  document: JsonColumn;
  /** The rendered trip document as last written (opaque to the database and services). */
  rendering: string | null;
  /** Null unless every booking is a guest booking; then their guests' key (hidden from lists). */
  guest_key: string | null;
  /** 1 when stored, plus one at every write of the trip: what its ETag is made from. */
  version: Generated<number>;
}

export interface BookingsTable {
  id: string;
  trip_id: string;
  company_id: string;
  owner_id: string;
  source: string;
  record_locator: string;
  app_id: string | null;
  position: number;
  start_at: number | null;
  end_at: number | null;
  segment_types: string;
  created_at: number;
  modified_at: number;
  document: JsonColumn;
  /** Null for the traveller's own booking; for a guest booking, a digest of its guests' names. */
  guest_key: string | null;
}

/**
 * The airline tickets held by each trip's bookings, by ticket number (plating carrier code +
 * control number): UpdateCoupon's look-up. Written with every trip write (trip-write-back.ts);
 * deleted with the trip.
 */
export interface AirTicketsTable {
  company_id: string;
  ticket_number: string;
  trip_id: string;
}

export type { NotificationChannel } from './tables/event-tables.js';
export type {
  NotificationStatus,
  NotificationSubscriptionsTable,
  NotificationsTable,
} from './tables/notification-tables.js';

export interface Database {
  companies: CompaniesTable;
  users: UsersTable;
  apps: AppsTable;
  app_companies: AppCompaniesTable;
  signing_keys: SigningKeysTable;
  refresh_tokens: RefreshTokensTable;
  authorization_codes: AuthorizationCodesTable;
  auth_tokens: AuthTokensTable;
  server_secrets: ServerSecretsTable;
  trips: TripsTable;
  bookings: BookingsTable;
  air_tickets: AirTicketsTable;
  rate_limit_counters: RateLimitCountersTable;
  sign_in_failures: SignInFailuresTable;
  notification_subscriptions: NotificationSubscriptionsTable;
  notifications: NotificationsTable;
  idempotency_keys: IdempotencyKeysTable;
  event_subscriptions: EventSubscriptionsTable;
  event_subscription_companies: EventSubscriptionCompaniesTable;
  event_delivery_attempts: EventDeliveryAttemptsTable;
  trip_changes: TripChangesTable;
  trip_change_marks: TripChangeMarksTable;
  trip_day_counts: TripDayCountsTable;
  calendar_feeds: CalendarFeedsTable;
  imports: ImportsTable;
  import_rejections: ImportRejectionsTable;
}

/** Anything a repository can run queries on: the database or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;

export type UserRow = Selectable<UsersTable>;
export type AppRow = Selectable<AppsTable>;
export type AuthorizationCodeRow = Selectable<AuthorizationCodesTable>;
export type AuthTokenRow = Selectable<AuthTokensTable>;
export type CompanyRow = Selectable<CompaniesTable>;
export type TripRow = Selectable<TripsTable>;
export type BookingRow = Selectable<BookingsTable>;
export type NewTrip = Insertable<TripsTable>;
export type NewBooking = Insertable<BookingsTable>;

/** Reads a JSON column whichever driver returned it. */
export function readJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
export type NotificationRow = Selectable<NotificationsTable>;
export type NewNotification = Insertable<NotificationsTable>;
