/**
 * Hostile input to `POST /api/travel/booking/v1.1/UpdateCoupon` (as trip-bad-input.test.ts for
 * trip POSTs): DOCTYPE and entities, malformed XML, wrong roots and content types, bodies in
 * encodings that cannot be read, over-long values and bodies, over-long or NUL parameters and
 * bad credentials (401 without any, 403 for a token that does not verify: COMPATIBILITY.md). Each is a 4xx `<Error>` naming the problem, and nothing is written: the
 * ticket's coupons and the trip stay exactly as they were.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../helpers/app-fixture.js';
import { placeBooking } from '../../helpers/booking-requests.js';
import {
  couponUpdate,
  ticketedBooking,
  UPDATE_COUPON_PATH,
  updateCoupon,
} from '../../helpers/coupon-requests.js';
import type { TestContext } from '../../helpers/test-app.js';
import { expectError, getTrip } from '../../helpers/trip-requests.js';

const TICKET = '6000000001';
const used = couponUpdate(TICKET, 'USED');

let context: TestContext;
let token: string;
let tripId: string;

useTestApp((given) => {
  ({ context, token } = given);
});
beforeAll(async () => {
  ({ tripId } = await placeBooking(context.app, token, ticketedBooking('GDS1', 'HOST01', TICKET)));
});

/** The trip as details answer it (its coupons included). */
async function state(): Promise<string> {
  const response = await getTrip(context.app, token, tripId);
  expect(response.statusCode, response.body).toBe(200);
  expect(response.body).not.toContain('<CouponStatus>USED</CouponStatus>');
  return response.body;
}

/** Bodies refused with 400, and what the message must name. */
const BAD_BODIES: { name: string; body: string | Buffer; message: RegExp }[] = [
  {
    name: 'a DOCTYPE with an external entity (XXE)',
    body: `<!DOCTYPE Booking [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${used.replace('USED', '&xxe;')}`,
    message: /DOCTYPE/,
  },
  {
    name: 'an entity declaration (billion laughs)',
    body: `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>${used.replace('USED', '&lol2;')}`,
    message: /DOCTYPE/,
  },
  { name: 'an undefined entity', body: used.replace('USED', '&nope;'), message: /well-formed/ },
  { name: 'a NUL character reference', body: used.replace('USED', 'U&#0;'), message: /./ },
  { name: 'malformed XML', body: used.replace('</Booking>', ''), message: /well-formed/ },
  {
    name: 'an <Itinerary> root',
    body: '<Itinerary><TripName>x</TripName></Itinerary>',
    message: /Booking/,
  },
  { name: 'an empty body', body: '', message: /Booking|empty/ },
  {
    name: 'a control number of 11 characters',
    body: couponUpdate(`${TICKET}9`, 'USED'),
    message: /PlatingControlNumber/,
  },
  {
    name: 'a CouponStatus of 13 characters',
    body: couponUpdate(TICKET, 'U'.repeat(13)),
    message: /CouponStatus/,
  },
  {
    name: 'bytes that are not UTF-8',
    body: Buffer.concat([Buffer.from(used.replace('USED', 'US')), Buffer.from([0xff, 0xfe])]),
    message: /byte|UTF-8|utf-8/,
  },
];

describe('POST /api/travel/booking/v1.1/UpdateCoupon with hostile input', () => {
  for (const { name, body, message } of BAD_BODIES) {
    it(`returns 400 naming the problem for ${name}, and writes nothing`, async () => {
      const before = await state();
      expectError(
        await context.app.inject({
          method: 'POST',
          url: UPDATE_COUPON_PATH,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
          payload: body,
        }),
        400,
        message,
      );
      expect(await state()).toBe(before);
    });
  }

  it('returns 415 for JSON and form bodies and an encoding it cannot read', async () => {
    const before = await state();
    // Other types are read as XML (COMPATIBILITY.md: older clients send text/plain or nothing).
    for (const type of ['application/json', 'application/x-www-form-urlencoded']) {
      expectError(await updateCoupon(context.app, token, used, { 'content-type': type }), 415);
    }
    const unknown = `<?xml version="1.0" encoding="x-made-up"?>${used}`;
    expectError(await updateCoupon(context.app, token, unknown), 415, /x-made-up/);
    expectError(
      await updateCoupon(context.app, token, used, {
        'content-type': 'application/xml; charset=x-made-up',
      }),
      415,
    );
    expect(await state()).toBe(before);
  });

  it('returns 413 for a body over BODY_LIMIT_BYTES', async () => {
    const before = await state();
    const padding = `<RecordLocator>${'x'.repeat(context.config.bodyLimitBytes)}</RecordLocator>`;
    const response = await updateCoupon(
      context.app,
      token,
      used.replace('<RecordLocator>', `${padding}<RecordLocator>`),
    );
    expectError(response, 413);
    expect(await state()).toBe(before);
  });

  it('returns 400 for an over-long or NUL query parameter', async () => {
    const before = await state();
    for (const query of [`?x=${'a'.repeat(5000)}`, '?userid_value=a%00b']) {
      expectError(
        await updateCoupon(context.app, token, used, {}, `${UPDATE_COUPON_PATH}${query}`),
        400,
      );
    }
    expect(await state()).toBe(before);
  });

  it('returns 401 without credentials (or Basic ones) and 403 for a token that does not verify', async () => {
    const before = await state();
    const cases: [string | undefined, number][] = [
      [undefined, 401],
      [`Basic ${Buffer.from('user:password').toString('base64')}`, 401],
      ['Bearer', 401],
      ['Bearer not-a-token', 403],
      [`OAuth ${token}x`, 403],
    ];
    for (const [authorization, status] of cases) {
      const headers: Record<string, string> = { 'content-type': 'application/xml' };
      if (authorization) headers.authorization = authorization;
      const response = await context.app.inject({
        method: 'POST',
        url: UPDATE_COUPON_PATH,
        headers,
        payload: used,
      });
      expectError(response, status);
    }
    expect(await state()).toBe(before);
  });
});
