/**
 * The personas of the access matrix (test/itineraries/access/persona-matrix.test.ts) and how each
 * calls each trip endpoint on whose trip: the world of docs/ACCESS.md seeded, one token per
 * persona, one TMC-made trip per traveller for the read endpoints, and `call`, which makes
 * the request (creating the trip, booking or sign-in it acts on first, when it needs one).
 */
import type { LightMyRequestResponse } from 'fastify';
import {
  type AccessWorld,
  type Client,
  companyToken,
  type Person,
  seedAccessWorld,
  supplierTripXml,
  tmcTripXml,
  userToken,
} from './access-world.js';
import { bookingXml, cancelBooking, placeBooking, postBooking } from './booking-requests.js';
import { couponUpdate, ticketedBooking, updateCoupon } from './coupon-requests.js';
import { legacyRefresh, legacyRevoke, legacySignIn, signedIn } from './legacy-oauth-requests.js';
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
  | 'bookingCancel'
  /** `GET /api/travel/trip/v1.0`: v1.1's list under the older path. */
  | 'listV10'
  /** `POST …/booking/v1.1/UpdateCoupon` on a ticket of a TMC booking of the target. */
  | 'updateCoupon'
  /** `GET /net2/oauth2/accesstoken.ashx`: the persona's app signs the target in. */
  | 'legacySignIn'
  /** `GET …/getaccesstoken.ashx`: the persona's app refreshes a sign-in of the target. */
  | 'legacyRefresh'
  /** `POST …/revoketoken.ashx?token=`: the persona revokes a sign-in of the target. */
  | 'legacyRevokeToken'
  /** `POST …/revoketoken.ashx?consumerKey=&user=`: the persona revokes the target's tokens. */
  | 'legacyRevokeUser';

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
  /**
   * After a revoke call: the status of a refresh of the sign-in it aimed at (200: still valid,
   * 400: revoked).
   */
  refreshRevoked(): Promise<number>;
}

/** The app each persona's token is issued to. */
export function appOfPersona(world: AccessWorld, name: PersonaName): Client {
  if (name === 'otherAgencyTmc') return world.apps.otherAgencyTmc;
  if (name === 'supplier') return world.apps.supplier;
  if (name === 'partnerCompany' || name === 'partnerTraveller') return world.apps.partner;
  return world.apps.tmc;
}

/** Seeds the access world and signs every persona in. */
export async function seedPersonaWorld(context: TestContext): Promise<PersonaWorld> {
  const personas = {} as Record<PersonaName, Persona>;
  const readTrips = new Map<string, string>();
  let counter = 0;
  let revoked: { client: Client; refreshToken: string } | undefined;
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
      case 'listV10':
        return context.app.inject({
          method: 'GET',
          url: `/api/travel/trip/v1.0?${new URLSearchParams({ ...query, createdAfterDate: '2000-01-01' })}`,
          headers: { authorization: `Bearer ${persona.token}` },
        });
      case 'updateCoupon': {
        const ticket = String(4_000_000_000 + ++counter);
        const admin = user === world.foreign.traveller ? foreignAdminToken : homeAdminToken;
        await placeBooking(
          context.app,
          admin,
          ticketedBooking(world.tmcSource, `UC${counter}`, ticket),
          { userid_type: 'login', userid_value: user.loginId },
        );
        // The request names the ticket only: no userid_* (the docs show no parameters).
        return updateCoupon(context.app, persona.token, couponUpdate(ticket, 'USED'));
      }
      case 'legacySignIn':
        return legacySignIn(context.app, appOfPersona(world, name), user);
      case 'legacyRefresh': {
        const { refreshToken } = await signedIn(context.app, signingApp(name, user), user);
        return legacyRefresh(context.app, appOfPersona(world, name), refreshToken);
      }
      case 'legacyRevokeToken': {
        const client = signingApp(name, user);
        const { token, refreshToken } = await signedIn(context.app, client, user);
        revoked = { client, refreshToken };
        return legacyRevoke(context.app, persona.token, { token });
      }
      case 'legacyRevokeUser': {
        const client = signingApp(name, user);
        const { refreshToken } = await signedIn(context.app, client, user);
        revoked = { client, refreshToken };
        return legacyRevoke(context.app, persona.token, {
          consumerKey: client.clientId,
          user: user.loginId,
        });
      }
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

  /** The persona's app, or for a traveller of the foreign company the app connected to it. */
  function signingApp(name: PersonaName, user: Person): Client {
    return user === world.foreign.traveller ? world.apps.foreignTmc : appOfPersona(world, name);
  }

  async function refreshRevoked(): Promise<number> {
    if (!revoked) throw new Error('no revoke call was made');
    return (await legacyRefresh(context.app, revoked.client, revoked.refreshToken)).statusCode;
  }

  return { world, personas, readTrips, targetUser, call, refreshRevoked };
}
