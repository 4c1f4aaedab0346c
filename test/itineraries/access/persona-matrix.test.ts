/**
 * Every persona × trip endpoint × whose trip (the caller's own traveller, a colleague in the
 * same company, a traveller of another company), with the status each must get and what each
 * may see (docs/ACCESS.md). The table below is the access matrix; the test walks all of it,
 * the later endpoints too: the Trip v1.0 list, UpdateCoupon and the pre-2017 OAuth endpoints.
 */
import { describe, expect, it } from 'vitest';
import { TMC_AMOUNTS } from '../../helpers/access-world.js';
import { useTestContext } from '../../helpers/app-fixture.js';
import {
  type Endpoint,
  type Persona,
  type PersonaName,
  type PersonaWorld,
  seedPersonaWorld,
} from '../../helpers/persona-world.js';
import { infos } from '../../helpers/trip-requests.js';
import { findAll, parseXml, text } from '../../helpers/xml-tree.js';

type Row = [own: number, colleague: number, foreign: number];

/** The access matrix: HTTP status per persona and target, for each endpoint. */
const MATRIX = {
  list: {
    traveller: [200, 403, 403],
    admin: [200, 200, 404],
    companyAdmin: [200, 403, 403],
    tmcCompany: [200, 200, 404],
    otherAgencyTmc: [200, 200, 404],
    supplier: [200, 403, 403],
    partnerCompany: [200, 200, 404],
    partnerTraveller: [200, 403, 403],
  },
  details: {
    traveller: [200, 403, 403],
    admin: [200, 200, 404],
    companyAdmin: [200, 403, 403],
    tmcCompany: [200, 200, 404],
    otherAgencyTmc: [404, 404, 404],
    supplier: [200, 403, 403],
    partnerCompany: [200, 200, 404],
    partnerTraveller: [200, 403, 403],
  },
  create: {
    traveller: [200, 403, 403],
    admin: [200, 200, 404],
    companyAdmin: [200, 200, 404],
    tmcCompany: [200, 200, 404],
    otherAgencyTmc: [200, 200, 404],
    supplier: [200, 403, 403],
    partnerCompany: [403, 403, 403],
    partnerTraveller: [403, 403, 403],
  },
  update: {
    traveller: [200, 403, 403],
    admin: [200, 200, 404],
    companyAdmin: [200, 200, 404],
    tmcCompany: [200, 200, 404],
    otherAgencyTmc: [404, 404, 404],
    // The target's trips are the TMC's: a supplier may change only trips of its own bookings.
    supplier: [403, 403, 403],
    partnerCompany: [403, 403, 403],
    partnerTraveller: [403, 403, 403],
  },
  bookingPost: {
    traveller: [200, 403, 403],
    admin: [200, 200, 404],
    companyAdmin: [200, 200, 404],
    tmcCompany: [200, 200, 404],
    otherAgencyTmc: [200, 200, 404],
    supplier: [200, 403, 403],
    partnerCompany: [403, 403, 403],
    partnerTraveller: [403, 403, 403],
  },
  bookingCancel: {
    traveller: [200, 403, 403],
    admin: [200, 200, 404],
    companyAdmin: [200, 200, 404],
    tmcCompany: [200, 200, 404],
    // The booking sits in a trip the first agency's app made.
    otherAgencyTmc: [404, 404, 404],
    // The booking is the TMC's: a supplier cancels only its own source.
    supplier: [403, 403, 403],
    partnerCompany: [403, 403, 403],
    partnerTraveller: [403, 403, 403],
  },
  cancel: {
    traveller: [200, 403, 403],
    admin: [200, 200, 404],
    companyAdmin: [200, 200, 404],
    tmcCompany: [200, 200, 404],
    otherAgencyTmc: [404, 404, 404],
    supplier: [403, 403, 403],
    partnerCompany: [403, 403, 403],
    partnerTraveller: [403, 403, 403],
  },
} satisfies Partial<Record<Endpoint, Record<PersonaName, Row>>>;

/** The same row for every persona. */
const EVERYONE = (row: Row): Record<PersonaName, Row> => ({
  traveller: row,
  admin: row,
  companyAdmin: row,
  tmcCompany: row,
  otherAgencyTmc: row,
  supplier: row,
  partnerCompany: row,
  partnerTraveller: row,
});

/** Endpoints added after the trip matrix (docs/ACCESS.md, "Later endpoints"). */
const LATER: Record<Exclude<Endpoint, keyof typeof MATRIX>, Record<PersonaName, Row>> = {
  listV10: MATRIX.list,
  // A ticket out of the caller's reach is 404, as if it did not exist (no userid_* here).
  updateCoupon: {
    traveller: [200, 404, 404],
    admin: [200, 200, 404],
    companyAdmin: [200, 200, 404],
    tmcCompany: [200, 200, 404],
    otherAgencyTmc: [404, 404, 404],
    // The ticketed booking is the TMC's: a supplier updates coupons of its own bookings only.
    supplier: [403, 404, 404],
    partnerCompany: [403, 403, 403],
    partnerTraveller: [403, 403, 403],
  },
  // The persona's app signs the target in: every app here is connected to the home company only.
  legacySignIn: EVERYONE([200, 200, 403]),
  // The foreign traveller's sign-in is another app's: not a refresh token of this client.
  legacyRefresh: EVERYONE([200, 200, 400]),
  legacyRevokeToken: {
    traveller: [200, 403, 403],
    admin: [200, 200, 403],
    companyAdmin: [200, 403, 403],
    tmcCompany: [200, 200, 403],
    otherAgencyTmc: [200, 200, 403],
    supplier: [200, 403, 403],
    partnerCompany: [200, 200, 403],
    partnerTraveller: [200, 403, 403],
  },
  legacyRevokeUser: {
    traveller: [200, 403, 403],
    admin: [200, 200, 404],
    companyAdmin: [200, 403, 403],
    tmcCompany: [200, 200, 404],
    otherAgencyTmc: [200, 200, 404],
    supplier: [200, 403, 403],
    partnerCompany: [200, 200, 404],
    partnerTraveller: [200, 403, 403],
  },
};

const ALL: Record<Endpoint, Record<PersonaName, Row>> = { ...MATRIX, ...LATER };

/** Personas whose list items carry UserLoginId (administrators and company-level tokens). */
const SEES_LOGIN_IDS = new Set<PersonaName>([
  'admin',
  'tmcCompany',
  'otherAgencyTmc',
  'partnerCompany',
]);

let personas: Record<PersonaName, Persona>;
let readTrips: Map<string, string>;
let targetUser: PersonaWorld['targetUser'];
let call: PersonaWorld['call'];
let refreshRevoked: PersonaWorld['refreshRevoked'];

useTestContext(async (context) => {
  ({ personas, readTrips, targetUser, call, refreshRevoked } = await seedPersonaWorld(context));
});

const cases = (Object.keys(ALL) as Endpoint[]).flatMap((endpoint) =>
  (Object.keys(ALL[endpoint]) as PersonaName[]).flatMap((name) =>
    (['own', 'colleague', 'foreign'] as const).map((target, index) => ({
      endpoint,
      name,
      target,
      status: ALL[endpoint][name][index] as number,
    })),
  ),
);

describe('persona × endpoint × target', () => {
  it.each(cases)('$endpoint by $name on $target trips → $status', async (c) => {
    const response = await call(c.name, c.endpoint, c.target);
    expect(response.statusCode, response.body).toBe(c.status);
    if (c.endpoint === 'legacyRevokeToken' || c.endpoint === 'legacyRevokeUser') {
      // "Response: None"; the sign-in aimed at is revoked exactly when the answer is 200.
      if (c.status === 200) expect(response.body).toBe('');
      expect(await refreshRevoked()).toBe(c.status === 200 ? 400 : 200);
      if (c.status === 200) return;
    }
    const doc = parseXml(response.body);
    if (c.status !== 200) {
      expect(doc.name).toBe('Error');
      return;
    }
    if (c.endpoint === 'legacySignIn' || c.endpoint === 'legacyRefresh') {
      expect(doc.name).toBe('Access_Token');
      expect(text(doc, 'Token')).toBeTruthy();
      return;
    }
    if (c.endpoint === 'updateCoupon') {
      expect(doc.name).toBe('Booking');
      expect(text(doc, 'AirlineTicketCoupon/CouponStatus')).toBe('USED');
      return;
    }
    if (c.endpoint === 'list' || c.endpoint === 'listV10') {
      const items = infos(doc);
      const ids = items.map((item) => text(item, 'TripId'));
      // Another agency's TMC app does not see trips made by the first agency's app.
      const readTrip = readTrips.get(targetUser(personas[c.name], c.target).loginId);
      expect(ids.includes(readTrip)).toBe(c.name !== 'otherAgencyTmc');
      for (const item of items) {
        expect(text(item, 'UserLoginId') !== undefined).toBe(SEES_LOGIN_IDS.has(c.name));
      }
      return;
    }
    if (c.endpoint === 'bookingCancel') {
      expect(doc.name).toBe('Booking');
      expect(text(doc, 'Segments/Car/DateCancelledUtc')).toBeDefined();
      return;
    }
    expect(doc.name).toBe('Itinerary');
    if (c.endpoint === 'cancel') {
      expect(text(doc, 'TripStatus')).toBe('2');
      return;
    }
    if (c.endpoint === 'details') expectVisibleContent(c.name, response.body);
  });
});

/** What a 200 details answer shows: the full trip, or the supplier's TripLink view. */
function expectVisibleContent(name: PersonaName, body: string) {
  const doc = parseXml(body);
  const types = findAll(doc, 'Bookings/Booking/Segments').flatMap((s) =>
    s.children.map((c) => c.name),
  );
  const air = findAll(doc, 'Bookings/Booking/Segments/Air')[0];
  if (name === 'supplier') {
    for (const amount of TMC_AMOUNTS) expect(body).not.toContain(amount);
    expect(types).not.toContain('Rail');
    expect(types).toEqual(expect.arrayContaining(['Air', 'Hotel']));
    expect(text(air!, 'StartDateLocal')).toMatch(/T00:00:00$/);
    expect(text(air!, 'StartGate')).toBeUndefined();
    expect(text(air!, 'EndTerminal')).toBeUndefined();
    expect(text(air!, 'ClassOfService')).toBeUndefined();
    expect(text(air!, 'FlightNumber')).toBe('100');
    expect(findAll(doc, 'Bookings/Booking/RecordLocator')).toEqual([]);
    expect(findAll(doc, 'Bookings/Booking/Passengers')).toEqual([]);
    expect(text(doc, 'Description')).toBeUndefined();
    expect(text(doc, 'Comments')).toBe('visible note');
    return;
  }
  for (const amount of TMC_AMOUNTS) expect(body).toContain(amount);
  expect(types).toEqual(['Air', 'Hotel', 'Rail']);
  expect(text(air!, 'StartGate')).toBe('G-7');
  expect(text(air!, 'StartDateLocal')).toMatch(/T09:00:00$/);
  expect(text(doc, 'Description')).toBe('hidden description');
}
