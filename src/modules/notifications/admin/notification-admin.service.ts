/**
 * What a company administrator sees of its app's notifications: the recent deliveries with
 * their status and attempts, and the resend of a dead one.
 */
import type { Kysely } from 'kysely';
import type { Database, NotificationRow, NotificationStatus } from '../../../db/database.js';
import { errors } from '../../../errors.js';
import type { Principal } from '../module-ports.js';
import {
  assertCompanyAdmin,
  COMPANY_ADMIN_ACTIONS,
} from '../subscriptions/subscription.service.js';
import {
  findNotification,
  listNotifications,
  type NotificationCursor,
  resendDeadNotification,
} from './notification-admin.repository.js';

/** Default and largest page of the list. */
export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 200;

/** The statuses the list filters on. */
export const NOTIFICATION_STATUSES = [
  'pending',
  'delivered',
  'dead',
] as const satisfies readonly NotificationStatus[];

/** One delivery as the admin API shows it (times as ISO 8601 UTC). */
export interface NotificationItem {
  id: string;
  companyId: string;
  tripId: string;
  eventType: string;
  status: NotificationStatus;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  expiresAt: string;
}

export interface NotificationPage {
  items: NotificationItem[];
  /** The `before` cursor of the next page, or null on the last page. */
  next: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function itemOf(row: NotificationRow): NotificationItem {
  return {
    id: row.id,
    companyId: row.company_id,
    tripId: row.trip_id,
    eventType: row.event_type,
    status: row.status,
    attempts: row.attempts,
    lastStatus: row.last_status,
    lastError: row.last_error,
    createdAt: new Date(row.created_at).toISOString(),
    lastAttemptAt: iso(row.last_attempt_at),
    nextAttemptAt: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    deliveredAt: iso(row.delivered_at),
    expiresAt: new Date(row.expires_at).toISOString(),
  };
}

/** The opaque `before` cursor of a row: where the next page starts. */
function cursorOf(row: NotificationRow): string {
  return Buffer.from(`${row.created_at}:${row.id}`).toString('base64url');
}

function parseCursor(value: string): NotificationCursor {
  const text = Buffer.from(value, 'base64url').toString('utf8');
  const match = /^(\d{1,15}):([\w-]{1,64})$/.exec(text);
  if (!match)
    throw errors.badRequest(`before must be a cursor from a previous page (got '${value}').`);
  return { createdAt: Number(match[1]), id: match[2] as string };
}

/** What the list is asked for (the route reads and checks the query). */
export interface NotificationListQuery {
  status?: NotificationStatus;
  /** Page size, at most MAX_LIST_LIMIT; DEFAULT_LIST_LIMIT when absent. */
  limit?: number;
  /** The `next` cursor of a previous page. */
  before?: string;
}

export class NotificationAdminService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: { maxAgeSeconds: number },
  ) {}

  /** The app's notifications for the caller's companies, newest first. */
  async list(principal: Principal, query: NotificationListQuery): Promise<NotificationPage> {
    assertCompanyAdmin(principal, COMPANY_ADMIN_ACTIONS.list);
    const { status, limit = DEFAULT_LIST_LIMIT } = query;
    // The cursor is this service's own opaque format: it reads what cursorOf wrote.
    const before = query.before ? parseCursor(query.before) : undefined;
    // One row more than asked tells whether there is a next page.
    const rows = await listNotifications(this.db, {
      appId: principal.app.id,
      companyIds: principal.companyIds,
      status,
      before,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(itemOf),
      next: rows.length > limit && last ? cursorOf(last) : null,
    };
  }

  /**
   * Sends a dead notification again: pending now, no attempts, and a full maximum age from now.
   * 404 for another app's or company's notification; 409 unless it is dead.
   */
  async resend(principal: Principal, id: string): Promise<NotificationItem> {
    assertCompanyAdmin(principal, COMPANY_ADMIN_ACTIONS.resend);
    // PostgreSQL text cannot hold NUL: no such id exists.
    if (id.includes('\u0000')) throw errors.notificationNotFound('');
    const row = await findNotification(this.db, id, principal.app.id, principal.companyIds);
    if (!row) throw errors.notificationNotFound(id);
    const now = Date.now();
    const resent =
      row.status === 'dead' &&
      (await resendDeadNotification(this.db, id, now, now + this.options.maxAgeSeconds * 1000));
    if (!resent) {
      throw errors.conflict(
        `The notification '${id}' is ${row.status === 'dead' ? 'already being resent' : row.status}; only dead notifications can be resent.`,
      );
    }
    const updated = await findNotification(this.db, id, principal.app.id, principal.companyIds);
    return itemOf(updated ?? row);
  }
}
