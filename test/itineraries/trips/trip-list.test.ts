/**
 * GET /api/travel/trip/v1.1 and POST /api/travel/trip/v1.1/GetTrips (SPEC §2.1): the date
 * window and its default, the created/modified/booking-type filters, cancelled trips, both
 * date spellings, case-insensitive names, and the JSON answer. Trip dates are relative to now.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../helpers/app-fixture.js';
import { seedTenant, type Tenant, type TestContext, tokenFor } from '../../helpers/test-app.js';
import {
  cancelTrip,
  createTrip,
  dateOnly,
  expectError,
  infos,
  listedTripIds,
  listTrips,
  postTrip,
  simpleTrip,
  TRIP_NS,
  TRIP_PATH,
} from '../../helpers/trip-requests.js';
import { parseXml, text } from '../../helpers/xml-tree.js';

let context: TestContext;
let token: string;
/** Trip ids by name. */
const trips: Record<string, string> = {};
/** UTC date (YYYY-MM-DD) on which the trips were created. */
let createdOn: string;

/** Name → [first day, last day] relative to today, and the segment type. */
const PLAN = {
  pastOut: [-45, -40, 'Car'],
  pastOverlap: [-35, -25, 'Hotel'],
  current: [-2, 3, 'Air'],
  span: [-10, 20, 'Car'],
  startsInside: [4, 40, 'Dining'],
  futureIn: [330, 335, 'Rail'],
  futureOut: [380, 385, 'Air'],
} as const;
type Name = keyof typeof PLAN;
const ALL = Object.keys(PLAN) as Name[];

useTestApp((given) => {
  ({ context, token } = given);
});
beforeAll(async () => {
  for (const name of ALL) {
    const [from, to, type] = PLAN[name];
    const { tripId, doc } = await createTrip(context.app, token, simpleTrip(name, from, to, type));
    trips[name] = tripId;
    createdOn = text(doc, 'DateCreatedUtc')!.slice(0, 10);
  }
});

const ids = (...names: Name[]) => names.map((n) => trips[n]).sort();

async function listed(query: Record<string, string>): Promise<string[]> {
  return (await listedTripIds(context.app, token, query)).sort();
}

function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

describe('GET /api/travel/trip/v1.1', () => {
  it('returns 200 with an ItineraryInfoList of the default window (today −30 days … +12 months)', async () => {
    const response = await listTrips(context.app, token);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/xml/);
    const doc = parseXml(response.body);
    expect(doc.name).toBe('ItineraryInfoList');
    expect(doc.uri).toBe(TRIP_NS);
    expect(await listed({})).toEqual(
      ids('pastOverlap', 'current', 'span', 'startsInside', 'futureIn'),
    );
  });

  it('returns 200 with the summary fields of each trip', async () => {
    const doc = parseXml((await listTrips(context.app, token)).body);
    const info = infos(doc).find((i) => text(i, 'TripId') === trips.current);
    expect(info).toBeDefined();
    expect(text(info!, 'TripName')).toBe('current');
    expect(text(info!, 'StartDateLocal')).toBe(`${dateOnly(-2)}T12:00:00`);
    expect(text(info!, 'EndDateLocal')).toBe(`${dateOnly(3)}T12:00:00`);
    expect(text(info!, 'DateModifiedUtc')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    expect(text(info!, 'id')).toMatch(new RegExp(`${TRIP_PATH}/${trips.current}$`));
    expect(text(info!, 'TripStatus')).toBeUndefined();
    expect(text(info!, 'UserLoginId')).toBeUndefined();
  });

  it('returns 200 with trips overlapping startDate … endDate (inclusive days)', async () => {
    expect(await listed({ startDate: dateOnly(0), endDate: dateOnly(5) })).toEqual(
      ids('current', 'span', 'startsInside'),
    );
    // startsInside begins at noon on day 4: endDate day 4 includes it, day 3 does not.
    expect(await listed({ startDate: dateOnly(0), endDate: dateOnly(4) })).toContain(
      trips.startsInside,
    );
    expect(await listed({ startDate: dateOnly(0), endDate: dateOnly(3) })).not.toContain(
      trips.startsInside,
    );
    // current ends at noon on day 3: startDate day 3 includes it, day 4 does not.
    expect(await listed({ startDate: dateOnly(3), endDate: dateOnly(5) })).toContain(trips.current);
    expect(await listed({ startDate: dateOnly(4), endDate: dateOnly(5) })).not.toContain(
      trips.current,
    );
  });

  it('returns 200 with no upper bound for startDate alone and no lower bound for endDate alone', async () => {
    expect(await listed({ startDate: dateOnly(100) })).toEqual(ids('futureIn', 'futureOut'));
    expect(await listed({ endDate: dateOnly(-30) })).toEqual(ids('pastOut', 'pastOverlap'));
  });

  it('returns 200 for YYYY/MM/DD dates, URL-encoded or not, and any parameter-name case', async () => {
    const expected = ids('current', 'span', 'startsInside');
    const slash = { startDate: dateOnly(0, '/'), endDate: dateOnly(5, '/') };
    expect(await listed(slash)).toEqual(expected); // URLSearchParams sends 2012%2F02%2F01
    const unencoded = await context.app.inject({
      method: 'GET',
      url: `${TRIP_PATH}?STARTDATE=${dateOnly(0, '/')}&enddate=${dateOnly(5, '/')}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(unencoded.statusCode, unencoded.body).toBe(200);
    expect(
      infos(parseXml(unencoded.body))
        .map((i) => text(i, 'TripId'))
        .sort(),
    ).toEqual(expected);
    expect(await listed({ StartDate: dateOnly(0), ENDDATE: dateOnly(5) })).toEqual(expected);
  });

  it('returns 200 filtered by createdAfterDate / createdBeforeDate (inclusive, no default window)', async () => {
    expect(await listed({ createdAfterDate: createdOn })).toEqual(ids(...ALL));
    expect(await listed({ createdAfterDate: shiftDate(createdOn, 1) })).toEqual([]);
    expect(await listed({ createdBeforeDate: createdOn })).toEqual(ids(...ALL));
    expect(await listed({ createdBeforeDate: shiftDate(createdOn, -1) })).toEqual([]);
    expect(await listed({ createdafterdate: createdOn.replaceAll('-', '/') })).toEqual(ids(...ALL));
  });

  it('returns 200 filtered by lastModifiedDate (date or date-time)', async () => {
    expect(await listed({ lastModifiedDate: createdOn })).toEqual(ids(...ALL));
    expect(await listed({ lastModifiedDate: shiftDate(createdOn, 1) })).toEqual([]);
    // Let a whole second pass, then touch one trip: only it was modified after that instant.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const since = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().slice(0, 19);
    const update = await postTrip(context.app, token, simpleTrip('futureOut', 380, 386, 'Air'), {
      tripId: trips.futureOut!,
    });
    expect(update.statusCode, update.body).toBe(200);
    expect(await listed({ lastModifiedDate: since })).toEqual(ids('futureOut'));
  });

  it('returns 200 filtered by bookingType', async () => {
    expect(await listed({ bookingType: 'Air' })).toEqual(ids('current'));
    expect(await listed({ bookingType: 'Car' })).toEqual(ids('span'));
    expect(await listed({ BOOKINGTYPE: 'Dining', startDate: dateOnly(-400) })).toEqual(
      ids('startsInside'),
    );
    expect(await listed({ bookingType: 'Rail', startDate: dateOnly(-400) })).toEqual(
      ids('futureIn'),
    );
    expect(await listed({ bookingType: 'Parking' })).toEqual([]);
  });

  it('returns 400 for an unknown bookingType or an unreadable date', async () => {
    expectError(await listTrips(context.app, token, { bookingType: 'Boat' }), 400, /bookingType/);
    expectError(await listTrips(context.app, token, { startDate: '2021-13-45' }), 400, /startDate/);
    expectError(await listTrips(context.app, token, { endDate: 'yesterday' }), 400, /endDate/);
    expectError(
      await listTrips(context.app, token, { createdAfterDate: '01/02/2021' }),
      400,
      /createdAfterDate/,
    );
    expectError(
      await listTrips(context.app, token, { lastModifiedDate: '2021-02-30' }),
      400,
      /lastModifiedDate/,
    );
  });

  it('returns 200 with a JSON array when Accept is application/json', async () => {
    const response = await listTrips(context.app, token, {}, { accept: 'application/json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = response.json() as { TripId: string; TripName: string; id: string }[];
    expect(Array.isArray(body)).toBe(true);
    expect(body.map((t) => t.TripId).sort()).toEqual(await listed({}));
    expect(body.find((t) => t.TripId === trips.current)).toMatchObject({ TripName: 'current' });
  });
});

describe('POST /api/travel/trip/v1.1/GetTrips', () => {
  function getTrips(body: unknown, headers: Record<string, string> = {}) {
    return context.app.inject({
      method: 'POST',
      url: `${TRIP_PATH}/GetTrips`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      payload: JSON.stringify(body),
    });
  }

  it('returns 200 with the same trips as GET for the parameters in a JSON body', async () => {
    const query = { startDate: dateOnly(0), endDate: dateOnly(5) };
    const response = await getTrips(query, { accept: 'application/xml' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/xml/);
    const fromBody = infos(parseXml(response.body))
      .map((i) => text(i, 'TripId'))
      .sort();
    expect(fromBody).toEqual(await listed(query));
    expect(fromBody).toEqual(ids('current', 'span', 'startsInside'));
  });

  it('returns 200 with case-insensitive names and YYYY/MM/DD dates in the body, JSON when asked', async () => {
    const response = await getTrips(
      { STARTDATE: dateOnly(100, '/'), bookingtype: 'Rail' },
      { accept: 'application/json' },
    );
    expect(response.statusCode, response.body).toBe(200);
    expect((response.json() as { TripId: string }[]).map((t) => t.TripId)).toEqual(ids('futureIn'));
  });

  it('returns 400 when the body is not a JSON object', async () => {
    expectError(await getTrips(['startDate']), 400);
  });
});

describe('GET /api/travel/trip/v1.1 with includeCanceledTrips', () => {
  let cancelTenant: Tenant;
  let cancelToken: string;
  let kept: string;
  let canceled: string;

  beforeAll(async () => {
    cancelTenant = await seedTenant(context);
    cancelToken = await tokenFor(context, cancelTenant, cancelTenant.traveller);
    kept = (await createTrip(context.app, cancelToken, simpleTrip('kept', 1, 2))).tripId;
    canceled = (await createTrip(context.app, cancelToken, simpleTrip('canceled', 1, 3))).tripId;
    expect((await cancelTrip(context.app, cancelToken, canceled)).statusCode).toBe(200);
  });

  it('returns 200 without cancelled trips and without TripStatus by default or when false', async () => {
    const queries: Record<string, string>[] = [{}, { includeCanceledTrips: 'false' }];
    for (const query of queries) {
      const doc = parseXml((await listTrips(context.app, cancelToken, query)).body);
      expect(infos(doc).map((i) => text(i, 'TripId'))).toEqual([kept]);
      expect(text(infos(doc)[0]!, 'TripStatus')).toBeUndefined();
    }
  });

  it('returns 200 with cancelled trips and every TripStatus when true (any case)', async () => {
    const queries: Record<string, string>[] = [
      { includeCanceledTrips: 'true' },
      { INCLUDECANCELEDTRIPS: 'True' },
    ];
    for (const query of queries) {
      const doc = parseXml((await listTrips(context.app, cancelToken, query)).body);
      const statuses = Object.fromEntries(
        infos(doc).map((i) => [text(i, 'TripId'), text(i, 'TripStatus')]),
      );
      expect(statuses).toEqual({ [kept]: '0', [canceled]: '2' });
    }
  });
});
