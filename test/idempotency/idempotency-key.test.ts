/**
 * Idempotency-Key on the POSTs that write (Itinera's extension, docs/COMPATIBILITY.md "Safe
 * retries"): a retry replays the first answer and writes nothing more; another request under the
 * same key is refused; keys belong to their caller; a key still running is waited for, then 409;
 * failed requests store nothing; expired keys are purged.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { keyScope } from '../../src/modules/idempotency/index.js';
import { useTestTenant } from '../helpers/app-fixture.js';
import { BOOKING_PATH, bookingXml } from '../helpers/booking-requests.js';
import { sample } from '../helpers/reference-files.js';
import { type Tenant, type TestContext, tokenFor } from '../helpers/test-app.js';
import {
  auth,
  cancelTrip,
  everyTripId,
  expectError,
  getTrip,
  postTrip,
  simpleTrip,
  TRIP_PATH,
  XML_TYPE,
} from '../helpers/trip-requests.js';
import { parseXml, text } from '../helpers/xml-tree.js';

let context: TestContext;
let tenant: Tenant;
let token: string;
let otherToken: string;
// The clock of key expiry; tests move it.
let now = Date.now();

useTestTenant(
  { build: { idempotency: { now: () => now, waitMs: 400, pollMs: 20, purgeEveryMs: 0 } } },
  (given) => {
    ({ context, tenant } = given);
  },
);
beforeAll(async () => {
  token = await tokenFor(context, tenant, tenant.traveller);
  otherToken = await tokenFor(context, tenant, tenant.otherTraveller);
});

const key = (name: string) => `${name}-${Math.random().toString(36).slice(2)}`;
const withKey = (k: string) => ({ 'idempotency-key': k });

describe('Idempotency-Key on trip create', () => {
  it('replays the first answer (status, body, ETag) and creates one trip', async () => {
    const k = key('create');
    const before = (await everyTripId(context.app, token)).length;
    const xml = simpleTrip('Replayed trip', 3, 4);
    const first = await postTrip(context.app, token, xml, {}, withKey(k));
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const second = await postTrip(context.app, token, xml, {}, withKey(k));
    expect(second.statusCode).toBe(200);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toBe(first.body);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.headers['content-type']).toBe(first.headers['content-type']);
    expect((await everyTripId(context.app, token)).length).toBe(before + 1);
  });

  it('accepts the structured-field form of the key ("…")', async () => {
    const k = key('quoted');
    const xml = simpleTrip('Quoted key', 3, 4);
    const first = await postTrip(context.app, token, xml, {}, withKey(k));
    const second = await postTrip(context.app, token, xml, {}, withKey(`"${k}"`));
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toBe(first.body);
  });

  it('answers 422 for the same key with another body, another query or path, writing nothing', async () => {
    const k = key('reused');
    await postTrip(context.app, token, simpleTrip('First body', 3, 4), {}, withKey(k));
    const before = (await everyTripId(context.app, token)).length;
    const otherBody = await postTrip(context.app, token, simpleTrip('Other', 3, 4), {}, withKey(k));
    expectError(otherBody, 422, /already used for a different request/);
    const tripId =
      text(parseXml((await postTrip(context.app, token, simpleTrip('x', 1, 2))).body), 'TripId') ??
      '';
    const otherPath = await cancelTrip(context.app, token, tripId, {}, withKey(k));
    expectError(otherPath, 422, /different request/);
    expect(text(parseXml((await getTrip(context.app, token, tripId)).body), 'TripStatus')).toBe(
      '0',
    );
    expect((await everyTripId(context.app, token)).length).toBe(before + 1);
  });

  it("never replays another traveller's answer: keys belong to app, company and user", async () => {
    const k = key('scoped');
    const xml = simpleTrip('Scoped', 3, 4);
    const mine = await postTrip(context.app, token, xml, {}, withKey(k));
    const theirs = await postTrip(context.app, otherToken, xml, {}, withKey(k));
    expect(theirs.statusCode).toBe(200);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(text(parseXml(theirs.body), 'TripId')).not.toBe(text(parseXml(mine.body), 'TripId'));
  });

  it('refuses a malformed key with 400 and writes nothing', async () => {
    const before = (await everyTripId(context.app, token)).length;
    for (const bad of ['', 'a'.repeat(256), 'has space', 'semi;colon', 'ünïcode']) {
      const response = await postTrip(
        context.app,
        token,
        simpleTrip('Bad key', 3, 4),
        {},
        {
          'idempotency-key': bad,
        },
      );
      expectError(response, 400, /Idempotency-Key header must be 1 to 255 characters/);
    }
    expect((await everyTripId(context.app, token)).length).toBe(before);
  });

  it('stores no failed answer: after a 4xx the key runs the next request afresh', async () => {
    const k = key('failed');
    const missing = await postTrip(
      context.app,
      token,
      simpleTrip('Nowhere', 3, 4),
      {
        tripId: 'nosuchtrip',
      },
      withKey(k),
    );
    expectError(missing, 404, /was not found/);
    const again = await postTrip(
      context.app,
      token,
      simpleTrip('Nowhere', 3, 4),
      {
        tripId: 'nosuchtrip',
      },
      withKey(k),
    );
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(again.statusCode).toBe(404);
    // Not bound to the failed request either: another request may use the key.
    const created = await postTrip(context.app, token, simpleTrip('Now', 3, 4), {}, withKey(k));
    expect(created.statusCode, created.body).toBe(200);
  });

  it('lets concurrent duplicates wait for the first and replay it: one trip', async () => {
    const k = key('concurrent');
    const before = (await everyTripId(context.app, token)).length;
    const xml = simpleTrip('Concurrent', 3, 4);
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => postTrip(context.app, token, xml, {}, withKey(k))),
    );
    for (const answer of answers) expect(answer.statusCode, answer.body).toBe(200);
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
    expect((await everyTripId(context.app, token)).length).toBe(before + 1);
  });
});

describe('a write refused inside its transaction', () => {
  it('stores no answer: after a 412 the key serves the corrected retry', async () => {
    const created = await postTrip(context.app, token, simpleTrip('Guarded', 3, 4));
    const tripId = text(parseXml(created.body), 'TripId') ?? '';
    const stale = created.headers.etag as string;
    await postTrip(context.app, token, simpleTrip('Changed meanwhile', 3, 4), { tripId });
    const k = key('precondition');
    const xml = simpleTrip('Mine', 3, 4);
    const refused = await postTrip(
      context.app,
      token,
      xml,
      { tripId },
      {
        ...withKey(k),
        'if-match': stale,
      },
    );
    expectError(refused, 412, /Nothing was written/);
    const current = (await getTrip(context.app, token, tripId)).headers.etag as string;
    const retried = await postTrip(
      context.app,
      token,
      xml,
      { tripId },
      {
        ...withKey(k),
        'if-match': current,
      },
    );
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(text(parseXml((await getTrip(context.app, token, tripId)).body), 'TripName')).toBe(
      'Mine',
    );
  });
});

describe('a precondition is part of the request', () => {
  it('replays for the same If-Match, answers 422 for another one or none', async () => {
    const created = await postTrip(context.app, token, simpleTrip('Preconditioned', 3, 4));
    const tripId = text(parseXml(created.body), 'TripId') ?? '';
    const etag = created.headers.etag as string;
    const k = key('if-match');
    const xml = simpleTrip('Replaced once', 3, 4);
    const first = await postTrip(
      context.app,
      token,
      xml,
      { tripId },
      { ...withKey(k), 'if-match': etag },
    );
    expect(first.statusCode, first.body).toBe(200);
    const again = await postTrip(
      context.app,
      token,
      xml,
      { tripId },
      { ...withKey(k), 'if-match': etag },
    );
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
    const otherPrecondition = await postTrip(
      context.app,
      token,
      xml,
      { tripId },
      { ...withKey(k), 'if-match': '"other"' },
    );
    expectError(otherPrecondition, 422, /different request/);
    const withoutPrecondition = await postTrip(context.app, token, xml, { tripId }, withKey(k));
    expectError(withoutPrecondition, 422, /different request/);
  });
});

describe('a key still running', () => {
  /** Claims `k` as a request of the traveller that is still running would. */
  async function runningClaim(k: string, body: string, claimedUntil: number) {
    const db = context.database.db;
    const app = await db
      .selectFrom('apps')
      .select('id')
      .where('client_id', '=', tenant.app.clientId)
      .executeTakeFirstOrThrow();
    const user = await db
      .selectFrom('users')
      .select(['id', 'company_id'])
      .where('login_id', '=', tenant.traveller.loginId)
      .executeTakeFirstOrThrow();
    const digest = createHash('sha256')
      .update(`POST ${TRIP_PATH}\n`)
      .update(body)
      .digest('base64url');
    await db
      .insertInto('idempotency_keys')
      .values({
        scope: keyScope(app.id, [user.company_id], user.id),
        idem_key: k,
        request_digest: digest,
        claim_token: 'someone-else',
        claimed_until: claimedUntil,
        state: 'running',
        status: null,
        headers: null,
        body: null,
        created_at: now,
        expires_at: now + 86_400_000,
      })
      .execute();
  }

  it('answers 409 with Retry-After once the wait is over, writing nothing', async () => {
    const k = key('running');
    const xml = simpleTrip('Running', 3, 4);
    await runningClaim(k, xml, now + 60_000);
    const before = (await everyTripId(context.app, token)).length;
    const response = await postTrip(context.app, token, xml, {}, withKey(k));
    expectError(response, 409, /still being processed/);
    expect(response.headers['retry-after']).toBe('1');
    expect((await everyTripId(context.app, token)).length).toBe(before);
  });

  it('is taken over once its lease has passed (its holder died before writing)', async () => {
    const k = key('abandoned');
    const xml = simpleTrip('Abandoned', 3, 4);
    await runningClaim(k, xml, now - 1);
    const response = await postTrip(context.app, token, xml, {}, withKey(k));
    expect(response.statusCode, response.body).toBe(200);
    const replay = await postTrip(context.app, token, xml, {}, withKey(k));
    expect(replay.headers['idempotent-replayed']).toBe('true');
  });
});

describe('Idempotency-Key on the other writes', () => {
  it('replays a booking POST (v1.1 and v1.0 paths are distinct requests)', async () => {
    const k = key('booking');
    const xml = bookingXml({ locator: `IDEM${Date.now()}`, from: 3, to: 5 });
    const post = (path: string) =>
      context.app.inject({
        method: 'POST',
        url: path,
        headers: { ...auth(token), 'content-type': XML_TYPE, ...withKey(k) },
        payload: xml,
      });
    const first = await post(BOOKING_PATH);
    expect(first.statusCode, first.body).toBe(200);
    const second = await post(BOOKING_PATH);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toBe(first.body);
    expect(second.headers.etag).toBe(first.headers.etag);
    expectError(await post('/api/travel/booking/v1.0'), 422, /different request/);
  });

  it('replays a trip cancel and a booking cancel', async () => {
    const created = await postTrip(
      context.app,
      token,
      simpleTrip('To cancel', 5, 6, 'Car', 'CANCELME'),
    );
    const tripId = text(parseXml(created.body), 'TripId') ?? '';
    const k = key('cancel');
    const first = await cancelTrip(context.app, token, tripId, {}, withKey(k));
    expect(first.statusCode, first.body).toBe(200);
    const second = await cancelTrip(context.app, token, tripId, {}, withKey(k));
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toBe(first.body);

    const locator = `BCANCEL${Date.now()}`;
    const booked = await context.app.inject({
      method: 'POST',
      url: BOOKING_PATH,
      headers: { ...auth(token), 'content-type': XML_TYPE },
      payload: bookingXml({
        locator,
        from: 8,
        to: 9,
        extra: '<ConfirmationNumber>CN1</ConfirmationNumber>',
      }),
    });
    expect(booked.statusCode, booked.body).toBe(200);
    const bk = key('booking-cancel');
    const cancel = () =>
      context.app.inject({
        method: 'POST',
        url: `${BOOKING_PATH}/cancel?bookingSource=Alamo&confirmationNumber=${locator}`,
        headers: { ...auth(token), ...withKey(bk) },
      });
    const one = await cancel();
    expect(one.statusCode, one.body).toBe(200);
    const two = await cancel();
    expect(two.headers['idempotent-replayed']).toBe('true');
    expect(two.body).toBe(one.body);
  });
});

describe('Idempotency-Key on UpdateCoupon', () => {
  it('replays the coupon update', async () => {
    const ticket = `72491${String(Date.now()).slice(-5)}`;
    const booking = sample('supplier-air-post-booking-ticketed-request.xml')
      .replace('<RecordLocator>DJM9876</RecordLocator>', '<RecordLocator>IDEMCPN</RecordLocator>')
      .replace('7249117982', ticket);
    const booked = await context.app.inject({
      method: 'POST',
      url: BOOKING_PATH,
      headers: { ...auth(token), 'content-type': XML_TYPE },
      payload: booking,
    });
    expect(booked.statusCode, booked.body).toBe(200);
    const k = key('coupon');
    const update = () =>
      context.app.inject({
        method: 'POST',
        url: '/api/travel/booking/v1.1/UpdateCoupon',
        headers: { ...auth(token), 'content-type': XML_TYPE, ...withKey(k) },
        payload: sample('supplier-air-update-coupon-request.xml').replace('7249117982', ticket),
      });
    const first = await update();
    expect(first.statusCode, first.body).toBe(200);
    const second = await update();
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toBe(first.body);
  });
});

describe('expiry', () => {
  it('keeps answers 24 h, then purges the key, which may then be used again', async () => {
    const k = key('expiring');
    const xml = simpleTrip('Day one', 3, 4);
    const first = await postTrip(context.app, token, xml, {}, withKey(k));
    expect(first.statusCode).toBe(200);
    now += 23 * 3_600_000;
    const within = await postTrip(context.app, token, xml, {}, withKey(k));
    expect(within.headers['idempotent-replayed']).toBe('true');
    now += 2 * 3_600_000;
    // Any keyed request purges expired keys (at most one batch).
    await postTrip(context.app, token, simpleTrip('Purger', 3, 4), {}, withKey(key('purger')));
    const left = await context.database.db
      .selectFrom('idempotency_keys')
      .select('idem_key')
      .where('expires_at', '<', now)
      .execute();
    expect(left).toEqual([]);
    const reused = await postTrip(context.app, token, simpleTrip('Day two', 3, 4), {}, withKey(k));
    expect(reused.statusCode, reused.body).toBe(200);
    expect(reused.headers['idempotent-replayed']).toBeUndefined();
  });
});
