/**
 * Guest trips in the trip list (docs/COMPATIBILITY.md, "Guest bookings"): a trip whose every
 * booking names only passengers other than the traveller is left out of the v1.1 GET list,
 * GetTrips and the v1.0 list, paging counts included, unless `includeGuestBookings=true`; its
 * details still answer by id. The traveller is Chris Miller (test-app.ts), as in Concur's
 * samples.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedDatabase, validateSeedFile } from '../../../src/modules/accounts/seed/seed.service.js';
import { useTestApp } from '../../helpers/app-fixture.js';
import { sample } from '../../helpers/reference-files.js';
import { type Tenant, type TestContext, tokenFor } from '../../helpers/test-app.js';
import {
  createTrip,
  dayAt,
  getTrip,
  infos,
  listedTripIds,
  listTrips,
  postTrip,
  TRIP_PATH,
  tripXml,
} from '../../helpers/trip-requests.js';
import { find, parseXml, text } from '../../helpers/xml-tree.js';

let context: TestContext;
let tenant: Tenant;
let token: string;
const trips: Record<string, string> = {};

/** `<Passengers>` naming these people. */
function passengers(...names: [string, string][]): string {
  const items = names.map(
    ([first, last]) =>
      `<Passenger><NameFirst>${first}</NameFirst><NameLast>${last}</NameLast></Passenger>`,
  );
  return `<Passengers>${items.join('')}</Passengers>`;
}

/** A trip of one car booking per passenger list, over days `from`..`from + 2`. */
function tripFor(name: string, from: number, ...bookings: string[]): string {
  return tripXml({
    name,
    bookings: bookings.map((extra, i) => ({
      locator: `${name.toUpperCase()}${i}`,
      segments: [{ start: dayAt(from), end: dayAt(from + 2) }],
      extra,
    })),
  });
}

const GUEST_TRIPS = ['guest', 'otherLastName', 'twoGuests'];
const OWN_TRIPS = ['own', 'gdsSpelling', 'accents', 'noPassengers', 'mixed'];

useTestApp((given) => {
  ({ context, tenant, token } = given);
});
beforeAll(async () => {
  const plan: Record<string, string[]> = {
    own: [passengers(['Chris', 'Miller'])],
    gdsSpelling: [passengers(['CHRIS MR', 'MILLER'])],
    accents: [passengers(['Chrïs A.', 'Millér'])],
    noPassengers: [''],
    mixed: [passengers(['Ann', 'Lee']), passengers(['Chris', 'Miller'])],
    guest: [passengers(['Ann', 'Lee'])],
    otherLastName: [passengers(['Chris', 'Millar'])],
    twoGuests: [passengers(['Ann', 'Lee']), passengers(['Bo', 'Li'])],
  };
  let day = 1;
  for (const [name, bookings] of Object.entries(plan)) {
    trips[name] = (await createTrip(context.app, token, tripFor(name, day, ...bookings))).tripId;
    day += 3;
  }
});

const ids = (names: string[]) => names.map((n) => trips[n]).sort();
const sorted = (values: string[]) => [...values].sort();

describe('GET /api/travel/trip/v1.1 with includeGuestBookings', () => {
  it('leaves guest trips out by default and with includeGuestBookings=false', async () => {
    expect(sorted(await listedTripIds(context.app, token))).toEqual(ids(OWN_TRIPS));
    const off = await listedTripIds(context.app, token, { includeGuestBookings: 'false' });
    expect(sorted(off)).toEqual(ids(OWN_TRIPS));
  });

  it('lists guest trips too with includeGuestBookings=true (any case of name and value)', async () => {
    const all = ids([...OWN_TRIPS, ...GUEST_TRIPS]);
    const listed = await listedTripIds(context.app, token, { includeGuestBookings: 'true' });
    expect(sorted(listed)).toEqual(all);
    const lower = await listedTripIds(context.app, token, { includeguestbookings: 'TRUE' });
    expect(sorted(lower)).toEqual(all);
  });

  it('counts what it lists in the paging metadata', async () => {
    for (const [query, total] of [
      [{}, OWN_TRIPS.length],
      [{ includeGuestBookings: 'true' }, OWN_TRIPS.length + GUEST_TRIPS.length],
    ] as const) {
      const seen: string[] = [];
      for (const pageNumber of [1, 2, 3, 4]) {
        const response = await listTrips(context.app, token, {
          ...query,
          includeMetadata: 'true',
          ItemsPerPage: '2',
          Page: String(pageNumber),
        });
        expect(response.statusCode, response.body).toBe(200);
        const doc = parseXml(response.body);
        expect(text(find(doc, 'Metadata/Paging') ?? doc, 'TotalItems')).toBe(String(total));
        seen.push(...infos(doc).map((info) => text(info, 'TripId') ?? ''));
      }
      expect(seen).toHaveLength(total);
    }
  });

  it('still answers a guest trip’s details by id', async () => {
    const response = await getTrip(context.app, token, trips.guest as string);
    expect(response.statusCode, response.body).toBe(200);
    expect(text(parseXml(response.body), 'TripName')).toBe('guest');
  });

  it('returns 400 for a value that is not a boolean', async () => {
    const response = await listTrips(context.app, token, { includeGuestBookings: 'maybe' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('includeGuestBookings must be true or false');
  });
});

describe('POST /api/travel/trip/v1.1/GetTrips with includeGuestBookings', () => {
  async function getTrips(body: Record<string, unknown>): Promise<string[]> {
    const response = await context.app.inject({
      method: 'POST',
      url: `${TRIP_PATH}/GetTrips`,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      payload: JSON.stringify(body),
    });
    expect(response.statusCode, response.body).toBe(200);
    return sorted((response.json() as { TripId: string }[]).map((t) => t.TripId));
  }

  it('follows the flag in the JSON body (a JSON boolean or a string)', async () => {
    expect(await getTrips({})).toEqual(ids(OWN_TRIPS));
    const all = ids([...OWN_TRIPS, ...GUEST_TRIPS]);
    expect(await getTrips({ includeGuestBookings: true })).toEqual(all);
    expect(await getTrips({ includeGuestBookings: 'true' })).toEqual(all);
    expect(await getTrips({ includeGuestBookings: false })).toEqual(ids(OWN_TRIPS));
  });
});

describe('GET /api/travel/trip/v1.0 with includeGuestBookings', () => {
  async function v10(query: string): Promise<string[]> {
    const response = await context.app.inject({
      method: 'GET',
      url: `/api/travel/trip/v1.0${query}`,
      headers: { authorization: `OAuth ${token}` },
    });
    expect(response.statusCode, response.body).toBe(200);
    return sorted(infos(parseXml(response.body)).map((info) => text(info, 'TripId') ?? ''));
  }

  it('leaves guest trips out unless asked for, as v1.1 does', async () => {
    expect(await v10('')).toEqual(ids(OWN_TRIPS));
    expect(await v10('?includeGuestBookings=true')).toEqual(ids([...OWN_TRIPS, ...GUEST_TRIPS]));
  });
});

describe('POST /api/travel/trip/v1.1 (full replace) and guest trips', () => {
  it('makes a trip a guest trip when its passengers change, and back', async () => {
    const { tripId } = await createTrip(
      context.app,
      token,
      tripFor('replaced', 40, passengers(['Chris', 'Miller'])),
    );
    const window = { startDate: dayAt(39).slice(0, 10), endDate: dayAt(45).slice(0, 10) };
    expect(await listedTripIds(context.app, token, window)).toEqual([tripId]);

    const toGuest = tripFor('replaced', 40, passengers(['Ann', 'Lee']));
    expect((await postTrip(context.app, token, toGuest, { tripId })).statusCode).toBe(200);
    expect(await listedTripIds(context.app, token, window)).toEqual([]);
    const withGuests = { ...window, includeGuestBookings: 'true' };
    expect(await listedTripIds(context.app, token, withGuests)).toEqual([tripId]);

    const back = tripFor(
      'replaced',
      40,
      passengers(['Ann', 'Lee']),
      passengers(['CHRIS', 'MILLER']),
    );
    expect((await postTrip(context.app, token, back, { tripId })).statusCode).toBe(200);
    expect(await listedTripIds(context.app, token, window)).toEqual([tripId]);
  });
});

describe('guest trips of a traveller', () => {
  const window = { createdAfterDate: '2000-01-01' };

  it('are told apart on a reference sample: Chris Miller’s booking is a guest booking for Olga', async () => {
    const post = (bearer: string) =>
      context.app.inject({
        method: 'POST',
        url: '/api/travel/booking/v1.1',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/xml' },
        payload: sample('post-booking-request.xml'),
      });
    const olga = await tokenFor(context, tenant, tenant.otherTraveller);
    const response = await post(olga);
    expect(response.statusCode, response.body).toBe(200);
    const tripId = text(parseXml(response.body), 'TripId');
    expect(await listedTripIds(context.app, olga, window)).toEqual([]);
    const withGuests = { ...window, includeGuestBookings: 'true' };
    expect(await listedTripIds(context.app, olga, withGuests)).toEqual([tripId]);
  });

  it('are none for a traveller without names on record (Itinera cannot tell)', async () => {
    const loginId = `nameless-${randomUUID().slice(0, 8)}@example.com`;
    const password = `pw-${randomUUID()}`;
    await seedDatabase(
      context.database.db,
      validateSeedFile({ users: [{ loginId, password, company: tenant.company }] }),
    );
    const nameless = await tokenFor(context, tenant, { loginId, password });
    const { tripId } = await createTrip(
      context.app,
      nameless,
      tripFor('nameless', 60, passengers(['Ann', 'Lee'])),
    );
    expect(await listedTripIds(context.app, nameless, window)).toEqual([tripId]);
  });
});
