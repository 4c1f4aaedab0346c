/**
 * Trip ETags (Itinera's extension, docs/COMPATIBILITY.md "ETags"): a strong ETag on details
 * reads and every write answer, 304 for a current `If-None-Match` (weak comparison), 412 for a
 * stale `If-Match` (strong comparison) on replace and cancel with nothing written, and the
 * issue's scenario: of 20 read-modify-write clients exactly one wins.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestTenant } from '../../helpers/app-fixture.js';
import { BOOKING_PATH, bookingXml } from '../../helpers/booking-requests.js';
import { type Tenant, type TestContext, tokenFor } from '../../helpers/test-app.js';
import {
  auth,
  cancelTrip,
  createTrip,
  expectError,
  getTrip,
  postTrip,
  simpleTrip,
  XML_TYPE,
} from '../../helpers/trip-requests.js';
import { parseXml, text } from '../../helpers/xml-tree.js';

let context: TestContext;
let tenant: Tenant;
let token: string;
let adminToken: string;

useTestTenant((given) => {
  ({ context, tenant } = given);
});
beforeAll(async () => {
  token = await tokenFor(context, tenant, tenant.traveller);
  adminToken = await tokenFor(context, tenant, tenant.admin);
});

const STRONG = /^"[^"]+"$/;

async function etagOf(tripId: string, query: Record<string, string> = {}, bearer = token) {
  const response = await getTrip(context.app, bearer, tripId, query);
  expect(response.statusCode, response.body).toBe(200);
  return response.headers.etag as string;
}

function nameOf(body: string): string | undefined {
  return text(parseXml(body), 'TripName');
}

describe('ETag on trip reads and writes', () => {
  it('gives a strong ETag, the same on every read and in the write answer', async () => {
    const { tripId, response } = await createTrip(context.app, token, simpleTrip('Tagged', 2, 3));
    const etag = await etagOf(tripId);
    expect(etag).toMatch(STRONG);
    expect(response.headers.etag).toBe(etag);
    expect(await etagOf(tripId)).toBe(etag);
  });

  it('changes with every write, and tells renderings and viewers apart', async () => {
    const { tripId } = await createTrip(context.app, token, simpleTrip('Before', 2, 3));
    const before = await etagOf(tripId);
    const updated = await postTrip(context.app, token, simpleTrip('After', 2, 3), { tripId });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.headers.etag).not.toBe(before);
    expect(await etagOf(tripId)).toBe(updated.headers.etag);
    // The TripIt rendering and an administrator's (with UserLoginId) are other representations.
    expect(await etagOf(tripId, { systemFormat: 'Tripit' })).not.toBe(updated.headers.etag);
    const asAdmin = await etagOf(
      tripId,
      { userid_type: 'login', userid_value: tenant.traveller.loginId },
      adminToken,
    );
    expect(asAdmin).not.toBe(updated.headers.etag);
  });

  it('answers a booking POST with the ETag of the trip that holds the booking', async () => {
    const response = await context.app.inject({
      method: 'POST',
      url: BOOKING_PATH,
      headers: { ...auth(token), 'content-type': XML_TYPE },
      payload: bookingXml({ locator: 'ETAGBOOK', from: 20, to: 22 }),
    });
    expect(response.statusCode, response.body).toBe(200);
    const tripId = text(parseXml(response.body), 'TripId') ?? '';
    expect(response.headers.etag).toBe(await etagOf(tripId));
  });
});

describe('If-None-Match', () => {
  it('answers 304 without a body for the current ETag, weak or not, and for *', async () => {
    const { tripId } = await createTrip(context.app, token, simpleTrip('Cached', 2, 3));
    const etag = await etagOf(tripId);
    for (const condition of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const response = await getTrip(
        context.app,
        token,
        tripId,
        {},
        { 'if-none-match': condition },
      );
      expect(response.statusCode, condition).toBe(304);
      expect(response.body).toBe('');
      expect(response.headers.etag).toBe(etag);
    }
  });

  it('answers 200 with the trip for another ETag or a malformed header', async () => {
    const { tripId } = await createTrip(context.app, token, simpleTrip('Fresh', 2, 3));
    for (const condition of ['"stale"', 'not-a-tag']) {
      const response = await getTrip(
        context.app,
        token,
        tripId,
        {},
        { 'if-none-match': condition },
      );
      expect(response.statusCode).toBe(200);
      expect(nameOf(response.body)).toBe('Fresh');
    }
  });
});

describe('If-Match', () => {
  it('replaces the trip when the ETag is current (or *), with the new ETag in the answer', async () => {
    const { tripId } = await createTrip(context.app, token, simpleTrip('V1', 2, 3));
    const etag = await etagOf(tripId);
    const replaced = await postTrip(
      context.app,
      token,
      simpleTrip('V2', 2, 3),
      { tripId },
      {
        'if-match': etag,
      },
    );
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.headers.etag).not.toBe(etag);
    const any = await postTrip(
      context.app,
      token,
      simpleTrip('V3', 2, 3),
      { tripId },
      {
        'if-match': '*',
      },
    );
    expect(any.statusCode, any.body).toBe(200);
    expect(nameOf((await getTrip(context.app, token, tripId)).body)).toBe('V3');
  });

  it('answers 412 for a stale or weak ETag and writes nothing', async () => {
    const { tripId } = await createTrip(context.app, token, simpleTrip('Kept', 2, 3));
    const stale = await etagOf(tripId);
    await postTrip(context.app, token, simpleTrip('Changed', 2, 3), { tripId });
    const current = await etagOf(tripId);
    for (const condition of [stale, `W/${current}`]) {
      const response = await postTrip(
        context.app,
        token,
        simpleTrip('Lost', 2, 3),
        { tripId },
        {
          'if-match': condition,
        },
      );
      expectError(response, 412, /has changed since the ETag named by If-Match was read/);
    }
    const cancel = await cancelTrip(context.app, token, tripId, {}, { 'if-match': stale });
    expectError(cancel, 412, /Nothing was written/);
    const read = await getTrip(context.app, token, tripId);
    expect(nameOf(read.body)).toBe('Changed');
    expect(text(parseXml(read.body), 'TripStatus')).toBe('0');
    expect(read.headers.etag).toBe(current);
  });

  it('cancels with the current ETag', async () => {
    const { tripId } = await createTrip(context.app, token, simpleTrip('Cancel me', 2, 3));
    const etag = await etagOf(tripId);
    const response = await cancelTrip(context.app, token, tripId, {}, { 'if-match': etag });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers.etag).toBe(await etagOf(tripId));
    expect(response.headers.etag).not.toBe(etag);
  });

  it('refuses a malformed If-Match (400) and any If-Match on a create (412)', async () => {
    const { tripId } = await createTrip(context.app, token, simpleTrip('Guarded', 2, 3));
    const malformed = await postTrip(
      context.app,
      token,
      simpleTrip('X', 2, 3),
      { tripId },
      {
        'if-match': 'abc',
      },
    );
    expectError(malformed, 400, /If-Match header is not a list of entity tags/);
    const create = await postTrip(
      context.app,
      token,
      simpleTrip('New', 2, 3),
      {},
      {
        'if-match': '*',
      },
    );
    expectError(create, 412, /existing trip/);
    expect(nameOf((await getTrip(context.app, token, tripId)).body)).toBe('Guarded');
  });

  it('lets exactly one of 20 read-modify-write clients win; the others get 412', async () => {
    const { tripId } = await createTrip(context.app, token, simpleTrip('Contended', 2, 3));
    const reads = await Promise.all(
      Array.from({ length: 20 }, () => getTrip(context.app, token, tripId)),
    );
    const etags = new Set(reads.map((r) => r.headers.etag));
    expect(etags.size).toBe(1);
    const answers = await Promise.all(
      reads.map((read, i) =>
        postTrip(
          context.app,
          token,
          simpleTrip(`Client ${i}`, 2, 3),
          { tripId },
          {
            'if-match': read.headers.etag as string,
          },
        ),
      ),
    );
    const won = answers.filter((a) => a.statusCode === 200);
    expect(won).toHaveLength(1);
    expect(answers.filter((a) => a.statusCode === 412)).toHaveLength(19);
    const winner = nameOf(won[0]?.body ?? '');
    expect(winner).toMatch(/^Client \d+$/);
    const stored = await getTrip(context.app, token, tripId);
    expect(nameOf(stored.body)).toBe(winner);
    expect(stored.headers.etag).toBe(won[0]?.headers.etag);
  });
});
