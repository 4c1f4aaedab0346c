/**
 * The scenarios of the scale benchmark, on data imported by `itinera import`: details GET (v1.1
 * and v4) over a heavy traveller's trips, the 200-item list page of that traveller and of the
 * whole company (`userid_type=login&userid_value=ALL`, an administrator's token; SPEC §2.1), a
 * booking POST that merges into a stored trip, and the trip POST (the TMC-guide sample). Also
 * captures each answer for the bare server, which then serves the same bytes.
 */
import { formatUtc } from '../../../src/domain/dates.js';
import type { BareResponses } from '../bare-server.js';
import { requestToken } from '../bench-client.js';
import { loadTripBodies } from '../trip-bodies.js';
import {
  HEAVY_TRAVELLERS,
  SCALE_ADMIN,
  SCALE_APP,
  travellerLogin,
  travellerName,
} from './scale-data.js';
import type { TripSamples } from './scale-db.js';
import type { ScaleScenario, ScaleTarget } from './scale-load.js';

const TRIP_PATH = '/api/travel/trip/v1.1';
const BOOKING_PATH = '/api/travel/booking/v1.1';
const V4_TRIPS_PATH = '/travel/v4/trips';
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
export const PAGE_SIZE = 200;
/** Half-widths (days) tried for the list window, centred on today: the first holding pages. */
const WINDOWS = [30, 60, 90, 120, 180, 270, 366];
export const LIST_CONNECTIONS = 10;
/** Distinct windows the not-kept list scenario cycles through (far more than a process keeps). */
const FRESH_WINDOWS = 730;

/** Issue 15's targets (embedded default, and PostgreSQL with two instances). */
export function targetsFor(dialect: 'sqlite' | 'postgres'): Record<string, ScaleTarget> {
  if (dialect === 'postgres') {
    return {
      post: { minRps: 1000 },
      'post-many': { minRps: 1000 },
      'list-traveller': { maxP99: 20, note: 'at 1M' },
      'list-company': { maxP99: 20, note: 'at 1M' },
    };
  }
  return {
    post: { minRps: 2500, minShare: 0.25 },
    'post-many': { minRps: 2500, minShare: 0.25 },
    details: { minRps: 8000 },
    'list-traveller': { maxP99: 10, note: 'at 1M' },
    'list-company': { maxP99: 10, note: 'at 1M' },
    booking: { minRps: 2000, note: 'at 1M' },
  };
}

interface Tokens {
  traveller: Record<string, string>;
  admin: Record<string, string>;
  company: Record<string, string>;
}

async function tokensOf(url: string): Promise<Tokens> {
  const password = (user: { loginId: string; password: string }) =>
    requestToken(url, {
      grant_type: 'password',
      client_id: SCALE_APP.clientId,
      client_secret: SCALE_APP.clientSecret,
      username: user.loginId,
      password: user.password,
    });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  return {
    traveller: bearer(await password(HEAVY_TRAVELLERS[0]!)),
    admin: bearer(await password(SCALE_ADMIN)),
    // Itinerary v4 and the TMC's booking POSTs take a company-level token.
    company: bearer(
      await requestToken(url, {
        grant_type: 'client_credentials',
        client_id: SCALE_APP.clientId,
        client_secret: SCALE_APP.clientSecret,
        scope: 'ITINER travel.itinerary.read',
      }),
    ),
  };
}

async function fetchOk(url: string, init: RequestInit): Promise<string> {
  const response = await fetch(url, init);
  const text = await response.text();
  if (response.status !== 200)
    throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${text}`);
  return text;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export interface PreparedScenarios {
  scenarios: ScaleScenario[];
  responses: BareResponses;
  /** What the list pages hold, for the report. */
  listInfo: string;
  /** The list scenarios' window: today ± this many days. */
  listWindowDays: number;
}

/** Tokens for every instance, the list window, the captured answers and the scenarios. */
export async function prepareScenarios(
  urls: readonly string[],
  samples: TripSamples,
  dialect: 'sqlite' | 'postgres',
  connections: number,
  travellers: number,
): Promise<PreparedScenarios> {
  const tokens = await Promise.all(urls.map(tokensOf));
  const base = urls[0] as string;
  const first = tokens[0] as Tokens;
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const listQuery = (days: number) =>
    `startDate=${isoDay(today - days * DAY_MS)}&endDate=${isoDay(today + days * DAY_MS)}` +
    `&includeMetadata=true&ItemsPerPage=${PAGE_SIZE}&Page=1`;
  const count = (xml: string) => ({
    items: xml.match(/<ItineraryInfo>/g)?.length ?? 0,
    total: Number(/<TotalItems>(\d+)<\/TotalItems>/.exec(xml)?.[1] ?? 0),
  });
  // The narrowest window around today that holds more than one full page of the traveller's.
  let days = WINDOWS[0] as number;
  let list = '';
  for (days of WINDOWS) {
    list = await fetchOk(`${base}${TRIP_PATH}?${listQuery(days)}`, { headers: first.traveller });
    const { items, total } = count(list);
    if (items === PAGE_SIZE && total > PAGE_SIZE) break;
  }
  const travellerPage = count(list);
  if (travellerPage.items !== PAGE_SIZE) {
    throw new Error(
      `the traveller's list holds ${travellerPage.items} items; expected a full page`,
    );
  }
  const travellerList = `${TRIP_PATH}?${listQuery(days)}`;
  const companyListPath = `${TRIP_PATH}?userid_type=login&userid_value=ALL&${listQuery(days)}`;
  const companyList = await fetchOk(base + companyListPath, { headers: first.admin });
  const companyPage = count(companyList);

  const ids = samples.heavyTripIds;
  const details = await fetchOk(`${base}${TRIP_PATH}/${ids[0]}`, { headers: first.traveller });
  const v4 = await fetchOk(`${base}${V4_TRIPS_PATH}/${ids[0]}`, {
    headers: { ...first.company, accept: 'application/json' },
  });

  const bodies = loadTripBodies();
  let nextTrip = 0;
  const tripBody = () => {
    const index = nextTrip++;
    return bodies.bodyFor(index, today + (((index * 7919) % 730) - 365) * DAY_MS);
  };
  const xml = (headers: Record<string, string>) => ({
    ...headers,
    'content-type': 'application/xml',
  });
  // The same sample posted by the TMC for ordinary travellers in turn, named as each of them:
  // writes of different travellers do not wait for each other's lock (traveller-writes.ts).
  let poster = 0;
  const manyPath = () => {
    poster = (poster + 7919) % travellers;
    return `${TRIP_PATH}?userid_type=login_id&userid_value=${encodeURIComponent(travellerLogin(poster))}`;
  };
  const manyBody = () => {
    const name = travellerName(poster);
    return tripBody()
      .replace('<NameFirst>William</NameFirst>', `<NameFirst>${name.first}</NameFirst>`)
      .replace('<NameLast>Never1</NameLast>', `<NameLast>${name.last}</NameLast>`);
  };
  const post = await fetchOk(base + TRIP_PATH, {
    method: 'POST',
    headers: xml(first.traveller),
    body: tripBody(),
  });

  // Bookings land inside a sampled stored trip of a random traveller: the merge joins them.
  let nextBooking = 0;
  let bookingTarget = 0;
  const bookingTrip = () => samples.bookable[bookingTarget % samples.bookable.length]!;
  const bookingPath = () => {
    bookingTarget++;
    return `${BOOKING_PATH}?userid_type=login_id&userid_value=${encodeURIComponent(bookingTrip().login)}`;
  };
  const bookingBody = () => {
    const n = nextBooking++;
    const trip = bookingTrip();
    const start = trip.startAt + 6 * HOUR_MS;
    const end = Math.max(start + HOUR_MS, trip.endAt - 6 * HOUR_MS);
    return (
      `<Booking><RecordLocator>SB${n.toString(36).toUpperCase().padStart(6, '0')}</RecordLocator>` +
      `<BookingSource>ScaleCars</BookingSource><Segments><Car><Vendor>ZE</Vendor>` +
      `<StartCityCode>SEA</StartCityCode><StartDateLocal>${formatUtc(start)}</StartDateLocal>` +
      `<EndDateLocal>${formatUtc(end)}</EndDateLocal><ConfirmationNumber>SC${n}</ConfirmationNumber>` +
      `<TotalRate>120.00</TotalRate><Currency>USD</Currency></Car></Segments></Booking>`
    );
  };
  const booking = await fetchOk(base + bookingPath(), {
    method: 'POST',
    headers: xml(first.company),
    body: bookingBody(),
  });

  const targets = targetsFor(dialect);
  const header =
    (pick: (t: Tokens) => Record<string, string>, extra: Record<string, string> = {}) =>
    (i: number): Record<string, string> => ({
      ...pick(tokens[i] as Tokens),
      ...extra,
    });
  let read = 0;
  let fresh = 0;
  const scenarios: Omit<ScaleScenario, 'target'>[] = [
    {
      key: 'details',
      name: 'details GET',
      connections,
      method: 'GET',
      headers: header((t) => t.traveller),
      path: () => `${TRIP_PATH}/${ids[read++ % ids.length]}`,
    },
    {
      key: 'v4',
      name: 'v4 details GET',
      connections,
      method: 'GET',
      headers: header((t) => t.company, { accept: 'application/json' }),
      path: () => `${V4_TRIPS_PATH}/${ids[read++ % ids.length]}`,
    },
    {
      key: 'list-traveller',
      name: `traveller list ${PAGE_SIZE}, ${LIST_CONNECTIONS} conn`,
      connections: LIST_CONNECTIONS,
      method: 'GET',
      headers: header((t) => t.traveller),
      path: () => travellerList,
    },
    {
      key: 'list-company',
      name: `company list ${PAGE_SIZE}, ${LIST_CONNECTIONS} conn`,
      connections: LIST_CONNECTIONS,
      method: 'GET',
      headers: header((t) => t.admin),
      path: () => companyListPath,
    },
    {
      // What a page costs when it is not kept (store/versioned-cache.ts): each request moves the
      // window by a day, through more windows than the pages a process keeps, so none is kept
      // long enough to be asked again.
      key: 'list-company-fresh',
      name: `company list ${PAGE_SIZE}, new window each request`,
      connections: LIST_CONNECTIONS,
      method: 'GET',
      headers: header((t) => t.admin),
      path: () => {
        const shift = (fresh++ % FRESH_WINDOWS) * DAY_MS;
        return (
          `${TRIP_PATH}?userid_type=login&userid_value=ALL&startDate=${isoDay(today - days * DAY_MS - shift)}` +
          `&endDate=${isoDay(today + days * DAY_MS - shift)}&includeMetadata=true&ItemsPerPage=${PAGE_SIZE}&Page=1`
        );
      },
    },
    {
      key: 'booking',
      name: 'booking POST (merge)',
      connections,
      method: 'POST',
      headers: header((t) => xml(t.company)),
      path: bookingPath,
      body: bookingBody,
    },
    // Last: they add trips, and the reads are measured on the imported data. The TMC-guide
    // sample for one traveller, as `npm run bench` posts it: every write waits for that
    // traveller's lock.
    {
      key: 'post',
      name: 'trip POST, one traveller',
      connections,
      method: 'POST',
      headers: header((t) => xml(t.traveller)),
      path: () => TRIP_PATH,
      body: tripBody,
    },
    {
      key: 'post-many',
      name: 'trip POST, many travellers',
      connections,
      method: 'POST',
      headers: header((t) => xml(t.company)),
      path: manyPath,
      body: manyBody,
    },
  ];
  // BENCH_SCENARIOS=post,post-many: only those scenarios (e.g. to compare writes A/B quickly).
  const only = process.env.BENCH_SCENARIOS?.split(',').map((key) => key.trim());
  return {
    scenarios: scenarios
      .filter((scenario) => !only || only.includes(scenario.key))
      .map((scenario) => ({ ...scenario, target: targets[scenario.key] ?? {} })),
    responses: { post, details, v4, list, companyList, booking },
    listWindowDays: days,
    listInfo:
      `list window today ±${days} days: traveller ${travellerPage.items} of ${travellerPage.total} ` +
      `(${Buffer.byteLength(list)} bytes), company-wide ${companyPage.items} of ` +
      `${companyPage.total} (${Buffer.byteLength(companyList)} bytes)`,
  };
}
