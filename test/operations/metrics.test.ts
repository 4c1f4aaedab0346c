/**
 * GET /metrics: who may read it (off without METRICS_TOKEN or METRICS_PUBLIC, the bearer
 * token, public), and that the series move with the traffic: a trip POST and a booking (request
 * histogram by route pattern, database writes), a rate-limit refusal, failed sign-ins by reason,
 * the outbox gauges read from the database.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { insertNotifications } from '../../src/modules/notifications/notification.repository.js';
import { useTestTenant } from '../helpers/app-fixture.js';
import { bookingXml, postBooking } from '../helpers/booking-requests.js';
import { sampleSum } from '../helpers/metrics-text.js';
import {
  buildTestApp,
  passwordGrant,
  type Tenant,
  type TestContext,
  tokenFor,
} from '../helpers/test-app.js';
import { listTrips, postTrip, simpleTrip } from '../helpers/trip-requests.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const PER_MINUTE = 3;
const now = Date.UTC(2030, 0, 1, 0, 0, 10);

let context: TestContext;
let tenant: Tenant;
useTestTenant(
  {
    config: { metricsToken: METRICS_TOKEN, rateLimitPerMinute: PER_MINUTE },
    build: { clock: () => now },
  },
  (given) => {
    ({ context, tenant } = given);
  },
);

async function scrape(): Promise<string> {
  const response = await context.app.inject({
    method: 'GET',
    url: '/metrics',
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.body;
}

const REQUESTS = 'itinera_http_request_duration_seconds_count';

describe('GET /metrics: exposure', () => {
  it('answers 401 without the token, or with a wrong one', async () => {
    for (const authorization of [undefined, 'Bearer wrong', `Basic ${METRICS_TOKEN}`]) {
      const response = await context.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: authorization ? { authorization } : {},
      });
      expect(response.statusCode).toBe(401);
      expect(response.body).not.toContain('itinera_');
    }
  });

  it('answers 200 with the Prometheus text given the token', async () => {
    const text = await scrape();
    expect(text).toContain('# TYPE itinera_http_request_duration_seconds histogram');
    expect(text).toContain('# TYPE itinera_db_busy_retries_total counter');
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('answers 404 naming the settings when neither METRICS_TOKEN nor METRICS_PUBLIC is set', async () => {
    const off = await buildTestApp({ metricsToken: undefined, metricsPublic: false });
    try {
      const response = await off.app.inject({ method: 'GET', url: '/metrics' });
      expect(response.statusCode).toBe(404);
      expect(response.json().message).toMatch(/METRICS_TOKEN.*METRICS_PUBLIC/);
    } finally {
      await off.close();
    }
  });

  it('answers without a token when METRICS_PUBLIC is set', async () => {
    const open = await buildTestApp({ metricsToken: undefined, metricsPublic: true });
    try {
      const response = await open.app.inject({ method: 'GET', url: '/metrics' });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('itinera_http_request_duration_seconds');
    } finally {
      await open.close();
    }
  });
});

describe('GET /metrics: series', () => {
  it('counts a trip POST, a booking, a rate-limit refusal and their database writes', async () => {
    const token = await tokenFor(context, tenant, tenant.traveller);
    const before = await scrape();
    const trip = await postTrip(context.app, token, simpleTrip('Metrics', 10, 12));
    expect(trip.statusCode, trip.body).toBe(200);
    const booking = await postBooking(
      context.app,
      token,
      bookingXml({ locator: 'METRIC1', from: 40, to: 41 }),
    );
    expect(booking.statusCode, booking.body).toBe(200);
    // The third call uses the minute's last request, the fourth is refused.
    expect((await listTrips(context.app, token)).statusCode).toBe(200);
    expect((await listTrips(context.app, token)).statusCode).toBe(429);
    const after = await scrape();

    const moved = (name: string, labels: Record<string, string> = {}) =>
      sampleSum(after, name, labels) - sampleSum(before, name, labels);
    const tripPost = { route: '/api/travel/trip/v1.1', method: 'POST', status_code: '200' };
    const bookingPost = { route: '/api/travel/booking/v1.1', method: 'POST', status_code: '200' };
    expect(moved(REQUESTS, tripPost)).toBe(1);
    expect(moved(REQUESTS, bookingPost)).toBe(1);
    expect(moved(REQUESTS, { route: '/api/travel/trip/v1.1', status_code: '429' })).toBe(1);
    expect(moved('itinera_rate_limit_refusals_total')).toBe(1);
    // The trip and the booking each wrote in one unit of work.
    expect(moved('itinera_db_write_duration_seconds_count')).toBeGreaterThanOrEqual(2);
    // Latency is observed too: the sum of seconds moved.
    expect(moved('itinera_http_request_duration_seconds_sum', tripPost)).toBeGreaterThan(0);
  });

  it('labels requests no route matched with one fixed route, never their URL', async () => {
    const before = await scrape();
    const response = await context.app.inject({ method: 'GET', url: '/no/such/route/abc123' });
    expect(response.statusCode).toBe(404);
    const after = await scrape();
    const unmatched = { route: 'unmatched', method: 'GET', status_code: '404' };
    expect(sampleSum(after, REQUESTS, unmatched) - sampleSum(before, REQUESTS, unmatched)).toBe(1);
    expect(after).not.toContain('abc123');
  });

  it('counts failed sign-ins by reason, without the login id', async () => {
    const before = await scrape();
    const wrong = await passwordGrant(context, tenant, {
      loginId: tenant.otherTraveller.loginId,
      password: 'not-the-password',
    });
    expect(wrong.statusCode).toBe(400);
    const unknownLogin = 'nobody-metrics@example.com';
    const unknown = await passwordGrant(context, tenant, {
      loginId: unknownLogin,
      password: 'whatever',
    });
    expect(unknown.statusCode).toBe(400);
    const after = await scrape();
    const moved = (reason: string) =>
      sampleSum(after, 'itinera_sign_in_failures_total', { reason }) -
      sampleSum(before, 'itinera_sign_in_failures_total', { reason });
    expect(moved('wrong_password')).toBe(1);
    expect(moved('unknown_user')).toBe(1);
    expect(after).not.toContain(unknownLogin);
    expect(after).not.toContain(tenant.otherTraveller.loginId);
  });

  it('reads the outbox gauges from the database at scrape time', async () => {
    const { db } = context.database;
    const app = await db
      .selectFrom('apps')
      .select('id')
      .where('client_id', '=', tenant.app.clientId)
      .executeTakeFirstOrThrow();
    const created = Date.now() - 90_000;
    const row = (id: string, status: 'pending' | 'delivered') => ({
      id,
      app_id: app.id,
      company_id: 'c-metrics',
      trip_id: 't-metrics',
      user_id: 'u-metrics',
      login_id: 'metrics@example.com',
      event_type: 'CREATE' as const,
      event_at: created,
      body: '<Notification/>',
      status,
      next_attempt_at: created,
      expires_at: created + 86_400_000,
      created_at: created,
      claimed_by: null,
      claimed_until: null,
      last_attempt_at: null,
      last_status: null,
      last_error: null,
      delivered_at: null,
    });
    const before = await scrape();
    await insertNotifications(db, [
      row(randomUUID(), 'pending'),
      row(randomUUID(), 'pending'),
      row(randomUUID(), 'delivered'),
    ]);
    const after = await scrape();
    const pending = 'itinera_notification_outbox_pending';
    expect(sampleSum(after, pending) - sampleSum(before, pending)).toBe(2);
    const age = sampleSum(after, 'itinera_notification_outbox_oldest_pending_age_seconds');
    expect(age).toBeGreaterThanOrEqual(90);
    expect(age).toBeLessThan(3_600);
  });
});
