/**
 * What the fuzzer checks of each answer: no stack trace, SQL, file path or internal class
 * name in it (unless the request itself carried that text, which an answer may echo), no
 * header injected into it; and, after a refused write, a database unchanged: the row count of
 * every table that holds clients' data and a digest of the trip tables' rows.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { hashSecret } from '../../src/security/secret-hash.js';

/**
 * The time of one scrypt computation with the parameters passwords and client secrets are
 * stored with (src/security/secret-hash.ts), on this machine now: the median of three.
 */
export async function scryptCost(): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await hashSecret('fuzz-scrypt-probe');
    times.push(performance.now() - t0);
  }
  return Math.round(times.sort((a, b) => a - b)[1] ?? 0);
}

/**
 * The slowest answer allowed for a target making up to `hashes` scrypt computations: the
 * limit, plus twice their measured cost (a margin for a loaded machine, where one answer's
 * scrypt calls wait for the CPU behind others). An endpoint slow for any other reason, or doing
 * more scrypt work than declared, still fails.
 */
export function allowedMs(limitMs: number, hashes: number, scryptMs: number): number {
  return limitMs + 2 * hashes * scryptMs;
}

/** Signs of internals in an answer. */
const LEAKS: readonly { name: string; pattern: RegExp }[] = [
  { name: 'stack trace', pattern: /\n\s*at (?:async )?[\w$.<>[\] ]*\(?[^\s)]*:\d+:\d+\)?/ },
  { name: 'source position', pattern: /[\w./\\-]+\.(?:ts|js|mjs|cjs|node):\d+/ },
  {
    // Not a URL (`href="/app/trips"`, `http://host:80/app/callback`): the web app's own pages.
    name: 'file path',
    pattern:
      /(?:(?<!(?:href|src|action)=")(?<![\w:.-])\/(?:work|home|root|usr|opt|srv|app)\/[\w.-]+|node_modules|[A-Z]:\\\\)/,
  },
  {
    name: 'database error',
    pattern:
      /SqliteError|SQLITE_[A-Z]+|better-sqlite3|PostgresError|pg_catalog|syntax error at or near|violates [\w -]*constraint|constraint failed|duplicate key value|relation "\w+"|no such (?:table|column)/i,
  },
  {
    name: 'SQL',
    pattern:
      /\b(?:select\s+[\w*",. ]+\s+from|insert\s+into|update\s+"?\w+"?\s+set|delete\s+from)\b/i,
  },
  {
    name: 'internal name',
    pattern:
      /\b(?:TypeError|ReferenceError|RangeError|AppError|FastifyError|Kysely\w*|DatabaseHandle|TripService|BookingService|saxes|SaxesParser|FST_ERR_\w+|ERR_\w+|Cannot read propert)/,
  },
];

/** The leaks an answer shows that its request did not carry. */
export function leaksOf(answer: string, requestText: string): string[] {
  return LEAKS.filter(({ pattern }) => {
    const match = pattern.exec(answer);
    return match !== null && !requestText.includes(match[0]);
  }).map(({ name, pattern }) => `${name}: ${JSON.stringify(pattern.exec(answer)?.[0])}`);
}

/** Headers of an answer that a CRLF in the request would have planted. */
export function injectedHeaders(headers: Record<string, unknown>): string[] {
  return Object.keys(headers).filter(
    (name) =>
      name === 'x-injected' ||
      (name === 'set-cookie' && String(headers[name]).includes('injected')),
  );
}

/**
 * Tables whose rows a refused request may legitimately write: request counters, failed
 * sign-ins (the throttle), recorded answers for Idempotency-Key replays, the feed's marks,
 * delivery attempts and the signing keys and server secrets made on first use.
 */
const MAY_CHANGE = new Set([
  'rate_limit_counters',
  'sign_in_failures',
  'idempotency_keys',
  'trip_change_marks',
  'event_delivery_attempts',
  'signing_keys',
  'server_secrets',
]);
/**
 * The rows digested: the columns every write of a trip, booking, ticket, user or subscription
 * changes (a trip's version and modified time move with each write of its document), so that
 * the digest stays cheap as the fuzzer's accepted writes pile up.
 */
const DIGESTED: Record<string, string[]> = {
  trips: ['id', 'version', 'status', 'modified_at', 'name', 'owner_id'],
  bookings: ['id', 'trip_id', 'modified_at', 'record_locator', 'position'],
  air_tickets: ['company_id', 'ticket_number', 'trip_id'],
  users: ['id', 'login_id', 'first_name', 'last_name', 'email', 'active'],
  event_subscriptions: ['*'],
  // A rotation replaces the feed's secret: a refused one must leave it.
  calendar_feeds: ['*'],
};

const TABLES = [
  'air_tickets',
  'app_companies',
  'apps',
  'auth_tokens',
  'authorization_codes',
  'bookings',
  'calendar_feeds',
  'companies',
  'event_subscription_companies',
  'event_subscriptions',
  'notification_subscriptions',
  'notifications',
  'refresh_tokens',
  'trip_changes',
  'trips',
  'users',
].filter((t) => !MAY_CHANGE.has(t));

/** Row counts of the clients' tables and a digest of the trip tables, as one comparable value. */
export async function snapshot(database: DatabaseHandle): Promise<string> {
  const parts: string[] = [];
  for (const table of TABLES) {
    const rows = await sql<{
      n: number | string;
    }>`select count(*) as n from ${sql.table(table)}`.execute(database.db);
    parts.push(`${table}=${Number(rows.rows[0]?.n ?? 0)}`);
  }
  const hash = createHash('sha256');
  for (const [table, columns] of Object.entries(DIGESTED)) {
    const list = columns[0] === '*' ? sql`*` : sql.join(columns.map((c) => sql.ref(c)));
    const rows = await sql<
      Record<string, unknown>
    >`select ${list} from ${sql.table(table)}`.execute(database.db);
    const lines = rows.rows.map((row) =>
      JSON.stringify(row, (_key, value) => (typeof value === 'bigint' ? String(value) : value)),
    );
    for (const line of lines.sort()) hash.update(line).update('\n');
  }
  parts.push(`digest=${hash.digest('hex').slice(0, 16)}`);
  return parts.join(' ');
}
