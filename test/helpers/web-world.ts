/**
 * The web app's test world: a traveller's upcoming flight-and-hotel trip (with a cancelled
 * car), a past trip, another traveller's trip on the same day, and signing in to the web app
 * through its real pages (sign-in → authorize form → callback) with `app.inject`.
 */
import type { FastifyInstance } from 'fastify';
import { hiddenFields } from './authorize-flow.js';
import { type Tenant, type TestContext, tokenFor } from './test-app.js';
import { createTrip, dayAt, TRIP_NS } from './trip-requests.js';

export interface WebWorld {
  upcomingId: string;
  pastId: string;
  othersId: string;
  /** The day the upcoming trip's traveller and the other traveller are both away. */
  awayDay: string;
}

const date = (days: number) => dayAt(days).slice(0, 10);

/** The flight-and-hotel trip: London → New York, three nights, a cancelled car. */
export function flightTripXml(name: string, days: number, locator: string): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?><Itinerary xmlns="${TRIP_NS}"><TripName>${name}</TripName><Bookings>` +
    `<Booking><RecordLocator>${locator}</RecordLocator><BookingSource>WebTMC</BookingSource><Segments>` +
    `<Air><ConfirmationNumber>CONF${locator}</ConfirmationNumber><EndCityCode>JFK</EndCityCode>` +
    `<EndDateLocal>${date(days)}T14:05:00</EndDateLocal><FlightNumber>117</FlightNumber>` +
    `<StartCityCode>LHR</StartCityCode><StartDateLocal>${date(days)}T11:20:00</StartDateLocal>` +
    `<Vendor>BA</Vendor><VendorName>British Airways</VendorName></Air>` +
    `<Hotel><ConfirmationNumber>H${locator}</ConfirmationNumber><EndDateLocal>${date(days + 3)}T11:00:00</EndDateLocal>` +
    `<Name>Hotel Lexington</Name><StartCityCode>NYC</StartCityCode><StartDateLocal>${date(days)}T16:00:00</StartDateLocal></Hotel>` +
    `<Car><EndCityCode>JFK</EndCityCode><EndDateLocal>${date(days + 3)}T09:00:00</EndDateLocal><StartCityCode>JFK</StartCityCode>` +
    `<StartDateLocal>${date(days)}T15:00:00</StartDateLocal><Status>XX</Status><Vendor>ZE</Vendor></Car>` +
    `<Air><EndCityCode>LHR</EndCityCode><EndDateLocal>${date(days + 4)}T06:30:00</EndDateLocal><FlightNumber>112</FlightNumber>` +
    `<StartCityCode>JFK</StartCityCode><StartDateLocal>${date(days + 3)}T18:30:00</StartDateLocal><Vendor>BA</Vendor></Air>` +
    `</Segments></Booking></Bookings></Itinerary>`
  );
}

/** Creates the world's trips through the v1.1 API. */
export async function seedWebWorld(context: TestContext, tenant: Tenant): Promise<WebWorld> {
  const traveller = await tokenFor(context, tenant, tenant.traveller);
  const other = await tokenFor(context, tenant, tenant.otherTraveller);
  const upcomingId = (
    await createTrip(context.app, traveller, flightTripXml('New York sales visit', 10, 'WEBUP1'))
  ).tripId;
  const pastId = (
    await createTrip(context.app, traveller, flightTripXml('Spring conference', -60, 'WEBPAST1'))
  ).tripId;
  const othersId = (
    await createTrip(context.app, other, flightTripXml('Olga in New York', 10, 'WEBOTHER1'))
  ).tripId;
  return { upcomingId, pastId, othersId, awayDay: date(11) };
}

/** The `name=value` pairs of a response's Set-Cookie headers. */
export function cookiesOf(setCookie: string | string[] | undefined): Record<string, string> {
  const headers = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
  const cookies: Record<string, string> = {};
  for (const header of headers) {
    const [pair] = header.split(';');
    const at = pair?.indexOf('=') ?? -1;
    if (pair && at > 0) cookies[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return cookies;
}

/**
 * Signs a user in to the web app through its pages; returns the session's Cookie header and
 * the responses on the way (for assertions).
 */
export async function webSignIn(
  app: FastifyInstance,
  user: { loginId: string; password: string },
): Promise<{ cookie: string; setCookie: string | string[] | undefined }> {
  const start = await app.inject({ method: 'GET', url: '/app/sign-in' });
  if (start.statusCode !== 302) throw new Error(`sign-in: ${start.statusCode} ${start.body}`);
  const flow = cookiesOf(start.headers['set-cookie']).itinera_signin;
  const authorizeUrl = new URL(String(start.headers.location), 'http://localhost');
  const page = await app.inject({
    method: 'GET',
    url: `${authorizeUrl.pathname}${authorizeUrl.search}`,
  });
  if (page.statusCode !== 200) throw new Error(`authorize: ${page.statusCode} ${page.body}`);
  const posted = await app.inject({
    method: 'POST',
    url: authorizeUrl.pathname,
    payload: new URLSearchParams({
      ...hiddenFields(page.body),
      login_id: user.loginId,
      password: user.password,
    }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  if (posted.statusCode !== 302)
    throw new Error(`authorize POST: ${posted.statusCode} ${posted.body}`);
  const callback = new URL(String(posted.headers.location));
  const done = await app.inject({
    method: 'GET',
    url: `${callback.pathname}${callback.search}`,
    headers: { cookie: `itinera_signin=${flow}` },
  });
  if (done.statusCode !== 303) throw new Error(`callback: ${done.statusCode} ${done.body}`);
  const session = cookiesOf(done.headers['set-cookie']).itinera_session;
  if (!session) throw new Error('no session cookie');
  return { cookie: `itinera_session=${session}`, setCookie: done.headers['set-cookie'] };
}
