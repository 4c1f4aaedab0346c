/**
 * Trip and booking bodies in the encoding their request declares (issue 12, item 1): the XML
 * declaration's `encoding` or the Content-Type's `charset` (which wins), UTF-16 with or without
 * a byte order mark; each read back in UTF-8 intact. An encoding no decoder is known for is 415
 * naming it, bytes that are not text in the encoding are 400 with their offset, and neither
 * writes anything.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../helpers/app-fixture.js';
import { BOOKING_PATH, bookingXml } from '../../helpers/booking-requests.js';
import type { TestContext } from '../../helpers/test-app.js';
import {
  auth,
  createTrip,
  dayAt,
  everyTripId,
  expectError,
  getTrip,
  TRIP_NS,
  TRIP_PATH,
} from '../../helpers/trip-requests.js';
import { parseXml, text } from '../../helpers/xml-tree.js';

let context: TestContext;
let token: string;
let tripId: string;

useTestApp((given) => {
  ({ context, token } = given);
});
beforeAll(async () => {
  tripId = (await createTrip(context.app, token, trip('Kept as it was', 'KEEP01'))).tripId;
});

let locators = 0;

/** An Itinerary named `name`, declared in `encoding` (no declaration when undefined). */
function trip(name: string, locator = `ENC${++locators}`, encoding?: string): string {
  const declaration = encoding ? `<?xml version="1.0" encoding="${encoding}"?>` : '';
  return (
    `${declaration}<Itinerary xmlns="${TRIP_NS}"><TripName>${name}</TripName>` +
    `<Comments>${name}</Comments><Bookings><Booking><RecordLocator>${locator}</RecordLocator>` +
    `<BookingSource>TestTMC</BookingSource><Segments><Hotel><StartDateLocal>${dayAt(3)}` +
    `</StartDateLocal><EndDateLocal>${dayAt(5)}</EndDateLocal></Hotel></Segments></Booking>` +
    '</Bookings></Itinerary>'
  );
}

function post(body: Buffer, contentType = 'application/xml', path = TRIP_PATH, query = '') {
  return context.app.inject({
    method: 'POST',
    url: `${path}${query}`,
    headers: { ...auth(token), 'content-type': contentType },
    payload: body,
  });
}

/** Posts a new trip, expects 200, and reads its name back from GET (answered in UTF-8). */
async function storedName(body: Buffer, contentType?: string): Promise<string | undefined> {
  const response = await post(body, contentType);
  expect(response.statusCode, response.body).toBe(200);
  const created = text(parseXml(response.body), 'TripId') as string;
  const details = await getTrip(context.app, token, created);
  expect(details.headers['content-type']).toBe('application/xml; charset=utf-8');
  const doc = parseXml(details.rawPayload.toString('utf8'));
  expect(text(doc, 'Comments')).toBe(text(doc, 'TripName'));
  return text(doc, 'TripName');
}

/** `xml` in Latin-1 with each `@` replaced by `bytes`. */
function withBytes(xml: string, bytes: Buffer): Buffer {
  const parts = xml.split('@').map((part) => Buffer.from(part, 'latin1'));
  return Buffer.concat(parts.flatMap((part, i) => (i ? [bytes, part] : [part])));
}

const RSQUO = Buffer.from([0x92]);
const utf16be = (xml: string) => Buffer.from(xml, 'utf16le').swap16();

describe('POST /api/travel/trip/v1.1 in a declared encoding', () => {
  it('returns 200 for Café declared ISO-8859-1, and reads it back in UTF-8 intact', async () => {
    const body = Buffer.from(trip('Café in Zürich', undefined, 'ISO-8859-1'), 'latin1');
    expect(body.includes(Buffer.from([0xe9]))).toBe(true);
    expect(await storedName(body)).toBe('Café in Zürich');
  });

  it('reads € from windows-1252 byte 0x80, and the other punctuation of 0x80–0x9F', async () => {
    const name = Buffer.from([0x80, 0x20, 0x82, 0x84, 0x85, 0x8a, 0x91, 0x92, 0x93, 0x94, 0x99]);
    const sent = withBytes(trip('@ @'), name);
    // Twice in TripName, and the same in Comments.
    expect(await storedName(sent, 'text/xml; charset=windows-1252')).toBe(
      '€ ‚„…Š‘’“”™ € ‚„…Š‘’“”™',
    );
  });

  it('takes the Content-Type charset over a declaration that says otherwise', async () => {
    const body = Buffer.from(trip('Crème brûlée', undefined, 'UTF-8'), 'latin1');
    expect(await storedName(body, 'application/xml; charset="ISO-8859-1"')).toBe('Crème brûlée');
  });

  it('reads UTF-16 with a BOM (both byte orders) and without one when declared', async () => {
    const bodies = [
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(trip('Ελλάδα €'), 'utf16le')]),
      Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(trip('Ελλάδα €'))]),
      Buffer.from(trip('Ελλάδα €', undefined, 'UTF-16'), 'utf16le'),
      utf16be(trip('Ελλάδα €', undefined, 'UTF-16')),
    ];
    for (const body of bodies) expect(await storedName(body)).toBe('Ελλάδα €');
    expect(await storedName(utf16be(trip('東京')), 'application/xml; charset=utf-16')).toBe('東京');
  });

  it('reads UTF-8 declared utf-16 (a .NET string sent as UTF-8) as UTF-8', async () => {
    expect(await storedName(Buffer.from(trip('Málaga', undefined, 'utf-16')))).toBe('Málaga');
  });

  it('reads a booking POST declared windows-1252 into its trip', async () => {
    const notes = '<Notes>Renée’s car</Notes>';
    const booking = bookingXml({ locator: 'ENCBOOK1', from: 10, to: 12, extra: notes });
    const response = await post(
      withBytes(`<?xml version="1.0" encoding="windows-1252"?>${booking.replace('’', '@')}`, RSQUO),
      'application/xml',
      BOOKING_PATH,
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.body).toContain(notes);
  });
});

const LATIN1_UNDECLARED = Buffer.from(trip('Café'), 'latin1');
const LATIN1_AS_UTF8 = Buffer.from(trip('Café', undefined, 'UTF-8'), 'latin1');

describe('POST /api/travel/trip/v1.1 in an encoding it cannot read', () => {
  async function state() {
    return {
      trips: await everyTripId(context.app, token),
      body: (await getTrip(context.app, token, tripId)).body,
    };
  }

  const refused: { name: string; body: Buffer; type?: string; status: number; message: RegExp }[] =
    [
      {
        name: 'an encoding no decoder knows, declared',
        body: Buffer.from(trip('x', undefined, 'x-mac-klingon')),
        status: 415,
        message: /'x-mac-klingon' named by the XML declaration is not supported/,
      },
      {
        name: 'an encoding no decoder knows, as the charset',
        body: Buffer.from(trip('x')),
        type: 'application/xml; charset=EBCDIC-AT-DE',
        status: 415,
        message: /'EBCDIC-AT-DE' named by the Content-Type charset/,
      },
      {
        name: 'UTF-7',
        body: Buffer.from(trip('x', undefined, 'UTF-7')),
        status: 415,
        message: /'UTF-7'/,
      },
      {
        name: 'ISO-8859-1 bytes in an undeclared (UTF-8) body',
        body: LATIN1_UNDECLARED,
        status: 400,
        message: new RegExp(
          `not UTF-8 text at byte offset ${LATIN1_UNDECLARED.indexOf(0xe9)} ` +
            '\\(bytes from there: E9 3C 2F 54;',
        ),
      },
      {
        name: 'ISO-8859-1 bytes in a body declared UTF-8',
        body: LATIN1_AS_UTF8,
        status: 400,
        message: new RegExp(`not UTF-8 text at byte offset ${LATIN1_AS_UTF8.indexOf(0xe9)} `),
      },
      {
        name: 'a cut-off UTF-16 body',
        body: Buffer.from(trip('x', undefined, 'UTF-16'), 'utf16le').subarray(0, 301),
        status: 400,
        message: /ends in the middle of a UTF-16LE character/,
      },
    ];

  for (const { name, body, type, status, message } of refused) {
    it(`returns ${status} for ${name}, and writes nothing (create or update)`, async () => {
      const before = await state();
      expectError(await post(body, type), status, message);
      expectError(await post(body, type, TRIP_PATH, `?tripId=${tripId}`), status, message);
      expect(await state()).toEqual(before);
    });
  }
});
