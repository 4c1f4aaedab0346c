/**
 * Bad trip POST bodies (SPEC §6): 400 with an `<Error>` naming the problem, 415 for JSON or
 * form bodies, and nothing written: a failed create adds no trip, a failed update leaves the
 * trip exactly as it was.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../helpers/app-fixture.js';
import type { TestContext } from '../../helpers/test-app.js';
import {
  auth,
  createTrip,
  dayAt,
  everyTripId,
  expectError,
  getTrip,
  postTrip,
  TRIP_NS,
  tripXml,
} from '../../helpers/trip-requests.js';

let context: TestContext;
let token: string;
let tripId: string;

const segment = { type: 'Hotel' as const, start: dayAt(7), end: dayAt(9) };
const valid = (extra = '', bookingExtra = '', segmentExtra = '') =>
  tripXml({
    name: 'Valid',
    extra,
    bookings: [
      { locator: 'BAD001', segments: [{ ...segment, extra: segmentExtra }], extra: bookingExtra },
    ],
  });
const ns = `xmlns="${TRIP_NS}"`;

/** Bodies that must be refused with 400, and what the message must name. */
const BAD_XML: { name: string; body: string; message: RegExp }[] = [
  {
    name: 'malformed XML',
    body: `<Itinerary ${ns}><TripName>x</Itinerary>`,
    message: /well-formed/,
  },
  { name: 'truncated XML', body: valid().slice(0, -20), message: /well-formed/ },
  {
    name: 'a DOCTYPE with an external entity (XXE)',
    body: `<?xml version="1.0"?><!DOCTYPE Itinerary [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Itinerary ${ns}><TripName>&xxe;</TripName></Itinerary>`,
    message: /DOCTYPE/,
  },
  {
    name: 'an entity declaration (billion laughs)',
    body: `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><Itinerary ${ns}><TripName>&lol2;</TripName></Itinerary>`,
    message: /DOCTYPE/,
  },
  {
    name: 'an undefined entity',
    body: `<Itinerary ${ns}><TripName>&nope;</TripName></Itinerary>`,
    message: /well-formed/,
  },
  {
    name: 'a <Booking> root',
    body: '<Booking><RecordLocator>X</RecordLocator><BookingSource>Y</BookingSource></Booking>',
    message: /Itinerary.*Booking|Booking.*Itinerary/,
  },
  {
    name: 'a root in a foreign namespace',
    body: '<Itinerary xmlns="urn:other"><TripName>x</TripName></Itinerary>',
    message: /Itinerary/,
  },
  { name: 'an empty body', body: '', message: /empty/ },
  { name: 'a whitespace-only body', body: '  \n ', message: /empty/ },
  {
    name: 'a missing TripName',
    body: tripXml({ name: '' }).replace('<TripName></TripName>', ''),
    message: /TripName/,
  },
  { name: 'a blank TripName', body: tripXml({ name: '   ' }), message: /TripName/ },
  {
    name: 'a TripName of 256 characters',
    body: tripXml({ name: 'n'.repeat(256) }),
    message: /TripName/,
  },
  {
    name: 'a booking without BookingSource',
    body: valid().replace(/<BookingSource>[^<]*<\/BookingSource>/, ''),
    message: /BookingSource/,
  },
  {
    name: 'a booking without RecordLocator',
    body: valid().replace(/<RecordLocator>[^<]*<\/RecordLocator>/, '<RecordLocator />'),
    message: /RecordLocator/,
  },
  {
    name: 'the same booking twice',
    body: tripXml({ name: 'Twice', bookings: [{ locator: 'DUP1' }, { locator: 'DUP1' }] }),
    message: /DUP1/,
  },
  {
    name: 'Comments of 513 characters',
    body: valid(`<Comments>${'c'.repeat(513)}</Comments>`),
    message: /Comments/,
  },
  {
    name: 'Description of 513 characters',
    body: valid(`<Description>${'d'.repeat(513)}</Description>`),
    message: /Description/,
  },
  {
    name: 'CancelComments of 257 characters',
    body: valid(`<CancelComments>${'x'.repeat(257)}</CancelComments>`),
    message: /CancelComments/,
  },
  {
    name: 'an impossible date',
    body: valid('', '', '<DateCancelledUtc>2021-02-30T10:00:00</DateCancelledUtc>'),
    message: /DateCancelledUtc/,
  },
  {
    name: 'a date that is not a date',
    body: valid('<DateBookedLocal>tomorrow</DateBookedLocal>'),
    message: /DateBookedLocal/,
  },
  {
    name: 'a month 13',
    body: valid('', '<DateBookedLocal>2021-13-01T00:00:00</DateBookedLocal>'),
    message: /DateBookedLocal/,
  },
  {
    name: 'a decimal that is not a number',
    body: valid('', '', '<DailyRate>abc</DailyRate>'),
    message: /DailyRate/,
  },
  {
    name: 'a fraction for an integer',
    body: valid('', '<PassengerCount>1.5</PassengerCount>'),
    message: /PassengerCount/,
  },
  {
    name: 'a NumPersons out of range',
    body: valid('', '', '<NumPersons>300</NumPersons>'),
    message: /NumPersons/,
  },
  {
    name: 'a boolean that is not one',
    body: valid('<IsPersonal>maybe</IsPersonal>'),
    message: /IsPersonal/,
  },
  {
    name: 'a TripStatus out of range',
    body: valid('<TripStatus>999</TripStatus>'),
    message: /TripStatus/,
  },
  {
    name: 'text inside a list wrapper',
    body: `<Itinerary ${ns}><TripName>x</TripName><Bookings>oops</Bookings></Itinerary>`,
    message: /Bookings/,
  },
];

useTestApp((given) => {
  ({ context, token } = given);
});
beforeAll(async () => {
  tripId = (await createTrip(context.app, token, valid('<Comments>keep me</Comments>'))).tripId;
});

async function state() {
  return {
    trips: await everyTripId(context.app, token),
    body: (await getTrip(context.app, token, tripId)).body,
  };
}

describe('POST /api/travel/trip/v1.1 (create) with a bad body', () => {
  for (const { name, body, message } of BAD_XML) {
    it(`returns 400 naming the problem for ${name}, and adds no trip`, async () => {
      const before = await state();
      expectError(await postTrip(context.app, token, body), 400, message);
      expect(await state()).toEqual(before);
    });
  }

  it('returns 400 when the body is sent without a Content-Type', async () => {
    const before = await state();
    const response = await context.app.inject({
      method: 'POST',
      url: '/api/travel/trip/v1.1',
      headers: { authorization: `Bearer ${token}` },
    });
    expectError(response, 400, /empty/);
    expect(await state()).toEqual(before);
  });

  for (const [type, payload] of [
    ['application/json', JSON.stringify({ Itinerary: { TripName: 'json' } })],
    ['application/x-www-form-urlencoded', 'TripName=form'],
  ] as const) {
    it(`returns 415 for a ${type} body, and adds no trip`, async () => {
      const before = await state();
      expectError(await postTrip(context.app, token, payload, {}, { 'content-type': type }), 415);
      expect(await state()).toEqual(before);
    });
  }

  it('returns 200 at the length limits (Comments/Description 512, CancelComments 256, TripName 255)', async () => {
    const xml = tripXml({
      name: 'n'.repeat(255),
      extra:
        `<Comments>${'c'.repeat(512)}</Comments><Description>${'é'.repeat(512)}</Description>` +
        `<CancelComments>${'x'.repeat(256)}</CancelComments>`,
    });
    expect((await postTrip(context.app, token, xml)).statusCode).toBe(200);
  });
});

describe('POST /api/travel/trip/v1.1?tripId= (update) with a bad body', () => {
  for (const { name, body, message } of BAD_XML) {
    it(`returns 400 naming the problem for ${name}, and leaves the trip as it was`, async () => {
      const before = await state();
      expectError(await postTrip(context.app, token, body, { tripId }), 400, message);
      expect(await state()).toEqual(before);
    });
  }

  it('returns 415 for a JSON body, and leaves the trip as it was', async () => {
    const before = await state();
    const response = await postTrip(
      context.app,
      token,
      '{"TripName":"json"}',
      { tripId },
      {
        'content-type': 'application/json',
      },
    );
    expectError(response, 415);
    expect(await state()).toEqual(before);
  });
});

describe('Trip v1.1 calls with a NUL character in the URL', () => {
  // PostgreSQL text cannot hold U+0000; such values must be refused, not reach the database.
  it('returns 404 for GET /api/travel/trip/v1.1/{tripId} with a NUL in the trip id', async () => {
    expectError(
      await context.app.inject({
        method: 'GET',
        url: `/api/travel/trip/v1.1/a%00b`,
        headers: auth(token),
      }),
      404,
    );
  });

  it('returns 400 for a NUL in a query parameter, and writes nothing', async () => {
    const before = await state();
    const urls = [
      ['POST', '/api/travel/trip/v1.1/cancel?tripId=%00'],
      ['POST', `/api/travel/trip/v1.1?tripId=${tripId}%00`],
      ['GET', '/api/travel/trip/v1.1?tripId=%00'],
      ['GET', '/api/travel/trip/v1.1?userid_type=login&userid_value=a%00b'],
      ['GET', `/api/travel/trip/v1.1/${tripId}?userid_type=login&userid_value=%00`],
    ] as const;
    for (const [method, url] of urls) {
      const response = await context.app.inject({
        method,
        url,
        headers: { ...auth(token), 'content-type': 'application/xml' },
        payload: method === 'POST' && !url.includes('cancel') ? valid() : undefined,
      });
      expectError(response, 400);
    }
    expect(await state()).toEqual(before);
  });
});
