/**
 * What the delivery tests share: a real HTTP receiver on 127.0.0.1 whose answers each test
 * scripts, a port nothing listens on, the signature check a receiver makes, and outbox rows as
 * the write path makes them (for the tests that drive the worker and the repository directly).
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net from 'node:net';
import type { Executor, NewNotification } from '../../src/db/database.js';
import { seedTenant, type TestContext } from './test-app.js';

export interface ReceivedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

export type Handler = (
  request: ReceivedRequest,
  response: ServerResponse,
  raw: IncomingMessage,
) => void;

/** A receiver recording every request; `handler` answers (default: 200 at once). */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  handler: Handler = (_request, response) => response.end('ok');
  /** Deliveries being answered right now, per delivery id, and the most seen at once. */
  readonly open = new Map<string, number>();
  maxOpenPerId = 0;
  private readonly server = http.createServer((raw, response) => {
    const chunks: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => chunks.push(chunk));
    raw.on('end', () => {
      const url = new URL(raw.url ?? '/', 'http://receiver');
      const request: ReceivedRequest = {
        method: raw.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: raw.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      this.requests.push(request);
      const id = String(raw.headers['itinera-delivery-id'] ?? '');
      const now = (this.open.get(id) ?? 0) + 1;
      this.open.set(id, now);
      this.maxOpenPerId = Math.max(this.maxOpenPerId, now);
      response.once('close', () => this.open.set(id, (this.open.get(id) ?? 1) - 1));
      this.handler(request, response, raw);
    });
  });
  port = 0;

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  url(path = '/hooks/itinera'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Requests carrying the given delivery id. */
  forId(id: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.headers['itinera-delivery-id'] === id);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A port nothing listens on (opened, then closed). */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error()),
      );
    });
  });
}

/** Checks `Itinera-Signature` as a receiver would: HMAC-SHA256 of `t.body`, fresh `t`. */
export function verifySignature(header: string, body: string, secret: string): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
  const t = Number(parts.t);
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  const fresh = Math.abs(Date.now() / 1000 - t) < 300;
  return fresh && given.length === expected.length && timingSafeEqual(given, expected);
}

// ---------------------------------------------------------------------------------------------
// Outbox rows

export interface Subscriber {
  appId: string;
  companyId: string;
  userId: string;
  loginId: string;
}

/** The ids of a seeded app, its company and a traveller, and sets the app's postback URL. */
export async function subscriberOf(
  db: Executor,
  clientId: string,
  loginId: string,
  postbackUrl: string | null,
): Promise<Subscriber> {
  const app = await db
    .selectFrom('apps')
    .select('id')
    .where('client_id', '=', clientId)
    .executeTakeFirstOrThrow();
  const user = await db
    .selectFrom('users')
    .select(['id', 'company_id'])
    .where('login_id', '=', loginId)
    .executeTakeFirstOrThrow();
  await db
    .updateTable('apps')
    .set({ postback_url: postbackUrl })
    .where('id', '=', app.id)
    .execute();
  return { appId: app.id, companyId: user.company_id, userId: user.id, loginId };
}

/** Seeds a new tenant; its traveller, as a subscriber of its app, with postback `url`. */
export async function seedSubscriber(
  context: TestContext,
  url: string | null,
): Promise<Subscriber> {
  const tenant = await seedTenant(context);
  return subscriberOf(context.database.db, tenant.app.clientId, tenant.traveller.loginId, url);
}

/** Sets where an app's notifications go. */
export async function setPostbackUrl(db: Executor, appId: string, url: string | null) {
  await db.updateTable('apps').set({ postback_url: url }).where('id', '=', appId).execute();
}

const MAX_AGE_MS = 72 * 3600_000;

/** An outbox row as the write path makes it, due now. */
export function outboxRow(
  to: Subscriber,
  overrides: Partial<NewNotification> = {},
): NewNotification {
  const now = Date.now();
  const tripId = randomUUID().replaceAll('-', '');
  const body =
    '<?xml version="1.0" encoding="utf-8"?>\n<Notification>' +
    '<ObjectType>ITINERARY</ObjectType>' +
    `<ObjectURI>http://itinera.test/api/travel/trip/v1.1/${tripId}</ObjectURI>` +
    `<EventDateTime>${new Date(now).toISOString().slice(0, 19)}</EventDateTime>` +
    `<EventType>CREATE</EventType><Context/><TripId>${tripId}</TripId></Notification>`;
  return {
    id: randomUUID(),
    app_id: to.appId,
    company_id: to.companyId,
    trip_id: tripId,
    user_id: to.userId,
    login_id: to.loginId,
    event_type: 'CREATE',
    event_at: now,
    body,
    status: 'pending',
    next_attempt_at: now,
    expires_at: now + MAX_AGE_MS,
    created_at: now,
    ...overrides,
  };
}
