/**
 * The personas of the access matrix (test/itineraries/access/persona-matrix.test.ts) and how each
 * calls each trip endpoint on whose trip: the world of docs/ACCESS.md seeded, one token per
 * persona, one TMC-made trip per traveller for the read endpoints, and `call`, which makes
 * the request (creating the trip or booking it acts on first, when it needs one).
 */
import type { LightMyRequestResponse } from 'fastify';
import {
  type AccessWorld,
  companyToken,
  type Person,
  seedAccessWorld,
  supplierTripXml,
  tmcTripXml,
  userToken,
} from './access-world.js';
import { bookingXml, cancelBooking, placeBooking, postBooking } from './booking-requests.js';
import type { TestContext } from './test-app.js';
import { cancelTrip, createTrip, getTrip, listTrips, postTrip } from './trip-requests.js';

export type PersonaName =
  | 'traveller'
  | 'admin'
  | 'companyAdmin'
  | 'tmcCompany'
  | 'otherAgencyTmc'
  | 'supplier'
  | 'partnerCompany'
  | 'partnerTraveller';
export type Target = 'own' | 'colleague' | 'foreign';
export type Endpoint =
  | 'list'
  | 'details'
  | 'create'
  | 'update'
  | 'cancel'
  | 'bookingPost'
  | 'bookingCancel';

export interface Persona {
  token: string;
  /** The user a user token belongs to; company tokens have none. */
  self?: Person;
}

export interface PersonaWorld {
  world: AccessWorld;
  personas: Record<PersonaName, Persona>;
  /** One TMC-made trip per traveller (by login id), for the read endpoints. */
  readTrips: Map<string, string>;
  /** Whose trip a target is: the persona's own user (company tokens: the traveller), … */
  targetUser(persona: Persona, target: Target): Person;
  /** The persona's request to the endpoint on the target's trip. */
  call(name: PersonaName, endpoint: Endpoint, target: Target): Promise<LightMyRequestResponse>;
}

/** Seeds the access world and signs every persona in. */
export async function seedPersonaWorld(context: TestContext): Promise<PersonaWorld> {
  const personas = {} as Record<PersonaName, Persona>;
  const readTrips = new Map<string, string>();
  let counter = 0;
  const world = await seedAccessWorld(context);
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
  const homeAdminToken = personas.admin.token;
  const foreignAdminToken = await userToken(context, apps.foreignTmc, foreign.admin);
  for (const user of [
    home.traveller,
    home.colleague,
    home.admin,
    home.companyAdmin,
    foreign.traveller,
  ]) {
    readTrips.set(user.loginId, await tmcTrip(user, `read ${user.loginId}`));
  }

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

  return { world, personas, readTrips, targetUser, call };
}
