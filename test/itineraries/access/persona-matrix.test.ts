/**
 * Every persona × trip endpoint × whose trip (the caller's own traveller, a colleague in the
 * same company, a traveller of another company), with the status each must get and what each
 * may see (docs/ACCESS.md). The table below is the access matrix; the test walks all of it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AccessWorld,
  companyToken,
  type Person,
  seedAccessWorld,
  supplierTripXml,
  TMC_AMOUNTS,
  tmcTripXml,
  userToken,
} from '../../helpers/access-world.js';
import { useTestContext } from '../../helpers/app-fixture.js';
import {
  bookingXml,
  cancelBooking,
  placeBooking,
  postBooking,
} from '../../helpers/booking-requests.js';
import type { TestContext } from '../../helpers/test-app.js';
import {
  cancelTrip,
  createTrip,
  getTrip,
  infos,
  listTrips,
  postTrip,
} from '../../helpers/trip-requests.js';
import { findAll, parseXml, text } from '../../helpers/xml-tree.js';

type PersonaName =
  | 'traveller'
  | 'admin'
  | 'companyAdmin'
  | 'tmcCompany'
  | 'otherAgencyTmc'
  | 'supplier'
  | 'partnerCompany'
  | 'partnerTraveller';
type Target = 'own' | 'colleague' | 'foreign';
type Endpoint =
  | 'list'
  | 'details'
  | 'create'
  | 'update'
  | 'cancel'
  | 'bookingPost'
  | 'bookingCancel';
type Row = [own: number, colleague: number, foreign: number];

/** The access matrix: HTTP status per persona and target, for each endpoint. */
const MATRIX: Record<Endpoint, Record<PersonaName, Row>> = {
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
};

/** Personas whose list items carry UserLoginId (administrators and company-level tokens). */
const SEES_LOGIN_IDS = new Set<PersonaName>([
  'admin',
  'tmcCompany',
  'otherAgencyTmc',
  'partnerCompany',
]);

interface Persona {
  token: string;
  /** The user a user token belongs to; company tokens have none. */
  self?: Person;
}

let context: TestContext;
let world: AccessWorld;
const personas = {} as Record<PersonaName, Persona>;
let homeAdminToken: string;
let counter = 0;
let foreignAdminToken: string;
/** One TMC-made trip per traveller (by login id), for the read endpoints. */
const readTrips = new Map<string, string>();

useTestContext((given) => {
  context = given;
});
beforeAll(async () => {
  world = await seedAccessWorld(context);
  const { apps, home, foreign } = world;
  personas.traveller = {
    token: await userToken(context, apps.tmc, home.traveller),
    self: home.traveller,
  };
  personas.admin = { token: await userToken(context, apps.tmc, home.admin), self: home.admin };
  personas.companyAdmin = {
    token: await userToken(context, apps.tmc, home.companyAdmin),
    self: home.companyAdmin,
  };
  personas.tmcCompany = { token: await companyToken(context, apps.tmc) };
  personas.otherAgencyTmc = { token: await companyToken(context, apps.otherAgencyTmc) };
  personas.supplier = {
    token: await userToken(context, apps.supplier, home.traveller),
    self: home.traveller,
  };
  personas.partnerCompany = { token: await companyToken(context, apps.partner) };
  personas.partnerTraveller = {
    token: await userToken(context, apps.partner, home.traveller),
    self: home.traveller,
  };
  homeAdminToken = personas.admin.token;
  foreignAdminToken = await userToken(context, apps.foreignTmc, foreign.admin);
  for (const user of [
    home.traveller,
    home.colleague,
    home.admin,
    home.companyAdmin,
    foreign.traveller,
  ]) {
    readTrips.set(user.loginId, await tmcTrip(user, `read ${user.loginId}`));
  }
});

/** Whose trip a target is: the persona's own user (company tokens: the traveller), … */
function targetUser(persona: Persona, target: Target): Person {
  if (target === 'own') return persona.self ?? world.home.traveller;
  if (target === 'colleague') return world.home.colleague;
  return world.foreign.traveller;
}

/** A trip the TMC of the user's company made for the user. */
async function tmcTrip(user: Person, name: string): Promise<string> {
  const admin = user === world.foreign.traveller ? foreignAdminToken : homeAdminToken;
  const { tripId } = await createTrip(context.app, admin, tmcTripXml(world, name), {
    userid_type: 'login',
    userid_value: user.loginId,
  });
  return tripId;
}

/** `userid_*` naming the target, unless the persona's own user is the target. */
function selector(persona: Persona, target: Target): Record<string, string> {
  const user = targetUser(persona, target);
  if (persona.self?.loginId === user.loginId) return {};
  return { userid_type: 'login', userid_value: user.loginId };
}

function bodyFor(name: PersonaName, label: string): string {
  return name === 'supplier' ? supplierTripXml(world, label) : tmcTripXml(world, label);
}

async function call(name: PersonaName, endpoint: Endpoint, target: Target) {
  const persona = personas[name];
  const query = selector(persona, target);
  const user = targetUser(persona, target);
  const label = `${name} ${endpoint} ${target}`;
  switch (endpoint) {
    case 'list':
      return listTrips(context.app, persona.token, { ...query, createdAfterDate: '2000-01-01' });
    case 'details':
      return getTrip(context.app, persona.token, readTrips.get(user.loginId) ?? '', query);
    case 'create':
      return postTrip(context.app, persona.token, bodyFor(name, label), query);
    case 'update': {
      const tripId = await tmcTrip(user, label);
      return postTrip(context.app, persona.token, bodyFor(name, `${label} v2`), {
        ...query,
        tripId,
      });
    }
    case 'cancel':
      return cancelTrip(context.app, persona.token, await tmcTrip(user, label), query);
    case 'bookingPost':
      return postBooking(
        context.app,
        persona.token,
        name === 'supplier'
          ? bookingXml({
              locator: `BP${++counter}`,
              source: world.supplierSource,
              from: 50,
              to: 51,
              type: 'Hotel',
            })
          : bookingXml({ locator: `BP${++counter}`, source: world.tmcSource, from: 50, to: 51 }),
        query,
      );
    case 'bookingCancel': {
      const locator = `BC${++counter}`;
      const admin = user === world.foreign.traveller ? foreignAdminToken : homeAdminToken;
      await placeBooking(
        context.app,
        admin,
        bookingXml({ locator, source: world.tmcSource, from: 60, to: 61 }),
        { userid_type: 'login', userid_value: user.loginId },
      );
      return cancelBooking(context.app, persona.token, {
        ...query,
        bookingSource: world.tmcSource,
        confirmationNumber: locator,
      });
    }
  }
}

const cases = (Object.keys(MATRIX) as Endpoint[]).flatMap((endpoint) =>
  (Object.keys(MATRIX[endpoint]) as PersonaName[]).flatMap((name) =>
    (['own', 'colleague', 'foreign'] as const).map((target, index) => ({
      endpoint,
      name,
      target,
      status: MATRIX[endpoint][name][index] as number,
    })),
  ),
);

describe('persona × endpoint × target', () => {
  it.each(cases)('$endpoint by $name on $target trips → $status', async (c) => {
    const response = await call(c.name, c.endpoint, c.target);
    expect(response.statusCode, response.body).toBe(c.status);
    const doc = parseXml(response.body);
    if (c.status !== 200) {
      expect(doc.name).toBe('Error');
      return;
    }
    if (c.endpoint === 'list') {
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
