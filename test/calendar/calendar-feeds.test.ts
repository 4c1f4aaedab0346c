/**
 * Calendar feeds and one-trip downloads (docs/CALENDAR.md), read back with ical.js: one event
 * per segment in its own zone, stable UIDs, SEQUENCE moving with the trip, cancelled segments
 * CANCELLED; the feed URL is the only credential, rotation retires it, forged tokens and other
 * travellers' trips answer 404.
 */
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, seedTenant, type TestContext, tokenFor } from '../helpers/test-app.js';
import {
  auth,
  cancelTrip,
  createTrip,
  dayAt,
  postTrip,
  tripXml,
} from '../helpers/trip-requests.js';
import { text } from '../helpers/xml-tree.js';

let context: TestContext;
let token: string;
let otherToken: string;

beforeAll(async () => {
  context = await buildTestApp();
  const tenant = await seedTenant(context);
  token = await tokenFor(context, tenant, tenant.traveller);
  otherToken = await tokenFor(context, tenant, tenant.otherTraveller);
});
afterAll(() => context.close());

interface ParsedEvent {
  uid: string;
  summary: string;
  tzid: string | null;
  start: string;
  end: string | null;
  status: string;
  sequence: number;
}

/** Parses a calendar with ical.js, its VTIMEZONEs registered, into plain events. */
function parseCalendar(body: string): ParsedEvent[] {
  const calendar = new ICAL.Component(ICAL.parse(body));
  for (const zone of calendar.getAllSubcomponents('vtimezone')) {
    ICAL.TimezoneService.register(new ICAL.Timezone(zone));
  }
  return calendar.getAllSubcomponents('vevent').map((vevent) => {
    const event = new ICAL.Event(vevent);
    const tzid = vevent.getFirstProperty('dtstart')?.getParameter('tzid');
    return {
      uid: event.uid,
      summary: event.summary,
      tzid: typeof tzid === 'string' ? tzid : null,
      start: event.startDate.toJSDate().toISOString().slice(0, 19),
      end: event.endDate ? event.endDate.toJSDate().toISOString().slice(0, 19) : null,
      status: String(vevent.getFirstPropertyValue('status')),
      sequence: Number(vevent.getFirstPropertyValue('sequence')),
    };
  });
}

const flight =
  '<StartCityCode>FRA</StartCityCode><EndCityCode>JFK</EndCityCode>' +
  '<Vendor>LH</Vendor><FlightNumber>400</FlightNumber>';

function business(hotelEnd = dayAt(12, 9)) {
  return tripXml({
    name: 'New York',
    bookings: [
      {
        locator: 'CAL001',
        segments: [{ type: 'Air', start: dayAt(10, 10), end: dayAt(10, 13), extra: flight }],
      },
      {
        locator: 'CAL002',
        segments: [
          {
            type: 'Hotel',
            start: dayAt(10, 15),
            end: hotelEnd,
            extra: '<TimeZone>America/New_York</TimeZone><Name>Hotel Sample</Name>',
          },
        ],
      },
    ],
  });
}

async function feedUrl(bearer = token): Promise<string> {
  const response = await context.app.inject({
    method: 'GET',
    url: '/calendar/v1/feed',
    headers: auth(bearer),
  });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { url: string }).url;
}

function fetchFeed(url: string, headers: Record<string, string> = {}) {
  return context.app.inject({ method: 'GET', url: new URL(url).pathname, headers });
}

describe('calendar feeds', () => {
  let tripId: string;
  let flightUtc: string;

  it('serves one event per segment in its own zone, from a URL that needs no token', async () => {
    const created = await createTrip(context.app, token, business());
    tripId = created.tripId;
    flightUtc = text(created.doc, 'StartDateUtc') ?? '';
    const url = await feedUrl();
    expect(url).toMatch(/\/calendar\/v1\/feeds\/[A-Za-z0-9_-]{43}\.ics$/);
    expect(await feedUrl()).toBe(url); // shown again, not remade

    const response = await fetchFeed(url);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/calendar/);
    const events = parseCalendar(response.body);
    expect(events).toHaveLength(2);
    const air = events.find((e) => e.summary.startsWith('Flight'));
    expect(air).toMatchObject({ tzid: 'Europe/Berlin', status: 'CONFIRMED', sequence: 1 });
    expect(air?.summary).toBe('Flight LH 400 FRA → JFK');
    // The instant is the one the server derived (StartDateUtc), read back through VTIMEZONE.
    expect(air?.start).toBe(flightUtc);
    const hotel = events.find((e) => e.summary.startsWith('Hotel'));
    expect(hotel).toMatchObject({ tzid: 'America/New_York', summary: 'Hotel Hotel Sample' });
    expect(new Set(events.map((e) => e.uid)).size).toBe(2);
  });

  it('keeps UIDs and moves SEQUENCE when the trip changes, and answers 304 to a current copy', async () => {
    const url = await feedUrl();
    const before = await fetchFeed(url);
    const etag = before.headers.etag as string;
    expect(etag).toBeTruthy();
    expect((await fetchFeed(url, { 'if-none-match': etag })).statusCode).toBe(304);

    const update = await postTrip(context.app, token, business(dayAt(13, 9)), { tripId });
    expect(update.statusCode, update.body).toBe(200);
    const after = await fetchFeed(url, { 'if-none-match': etag });
    expect(after.statusCode).toBe(200);
    const [old, now] = [parseCalendar(before.body), parseCalendar(after.body)];
    expect(now.map((e) => e.uid).sort()).toEqual(old.map((e) => e.uid).sort());
    expect(now.every((e) => e.sequence === 2)).toBe(true);

    expect((await cancelTrip(context.app, token, tripId)).statusCode).toBe(200);
    const cancelled = parseCalendar((await fetchFeed(url)).body);
    expect(cancelled.map((e) => e.uid).sort()).toEqual(old.map((e) => e.uid).sort());
    expect(cancelled.every((e) => e.status === 'CANCELLED' && e.sequence === 3)).toBe(true);
  });

  it('retires the old URL on rotation; forged tokens get a bare 404', async () => {
    const old = await feedUrl();
    const rotated = await context.app.inject({
      method: 'POST',
      url: '/calendar/v1/feed/rotate',
      headers: auth(token),
    });
    expect(rotated.statusCode, rotated.body).toBe(200);
    const url = (rotated.json() as { url: string }).url;
    expect(url).not.toBe(old);
    expect(await feedUrl()).toBe(url);
    expect((await fetchFeed(url)).statusCode).toBe(200);

    const gone = await fetchFeed(old);
    expect(gone.statusCode).toBe(404);
    const forged = await fetchFeed(`http://x/calendar/v1/feeds/${'A'.repeat(43)}.ics`);
    expect(forged.statusCode).toBe(404);
    expect(forged.json().message).toBe(gone.json().message);
    expect(forged.body).not.toMatch(/token|user|rotat/i);
    expect((await fetchFeed('http://x/calendar/v1/feeds/short.ics')).statusCode).toBe(404);
    expect((await fetchFeed(`http://x/calendar/v1/feeds/${'A'.repeat(70)}`)).statusCode).toBe(400);
  });

  it('needs a token for the feed API', async () => {
    const response = await context.app.inject({ method: 'GET', url: '/calendar/v1/feed' });
    expect(response.statusCode).toBe(401);
  });
});

describe('one-trip downloads', () => {
  it('answers the caller’s trip and 404 for another traveller’s', async () => {
    const { tripId } = await createTrip(context.app, token, business());
    const own = await context.app.inject({
      method: 'GET',
      url: `/calendar/v1/trips/${tripId}.ics`,
      headers: auth(token),
    });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.headers['content-disposition']).toMatch(/attachment; filename="trip-.*\.ics"/);
    expect(parseCalendar(own.body)).toHaveLength(2);

    const other = await context.app.inject({
      method: 'GET',
      url: `/calendar/v1/trips/${tripId}.ics`,
      headers: auth(otherToken),
    });
    expect(other.statusCode).toBe(404);
    const none = await context.app.inject({
      method: 'GET',
      url: `/calendar/v1/trips/${tripId}.ics`,
    });
    expect(none.statusCode).toBe(401);
  });
});
