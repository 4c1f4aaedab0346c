/**
 * What the fuzzer attacks: every write endpoint (trip create, update and cancel, booking POST
 * and cancel in v1.1 and v1.0, UpdateCoupon, v4 DELETE and anonymizations, the ESS webhook
 * PUT, the OAuth token endpoints with their forms and the pre-2017 ones) and the reads that
 * take ids and query parameters, each with a valid request built from the reference samples
 * (reference/concur/samples, test/fixtures) for a seeded tenant; and the calendar and web
 * app's (fuzz-targets-web.ts).
 */
import fs from 'node:fs';
import { seedDatabase, validateSeedFile } from '../../src/modules/accounts/seed/seed.service.js';
import { companyToken } from '../helpers/access-world.js';
import { ESS_SCOPES, subscriptionBody } from '../helpers/ess-world.js';
import { basicAuth } from '../helpers/legacy-oauth-requests.js';
import { fixturePath, sample } from '../helpers/reference-files.js';
import { seedTenant, type Tenant, type TestContext, tokenFor } from '../helpers/test-app.js';
import { bearer, request, segment } from './fuzz-request.js';
import { seedWebFuzz, WEB_TARGETS, type WebFuzzWorld } from './fuzz-targets-web.js';
import { INJECTIONS } from './hostile-values.js';
import type { FuzzRequest } from './mutations.js';
import type { Rng } from './prng.js';

/** The tenant the fuzzer writes for, its tokens and the rows its requests aim at. */
export interface FuzzWorld {
  tenant: Tenant;
  travellerToken: string;
  adminToken: string;
  companyToken: string;
  tripId: string;
  cancelTripId: string;
  /** A user signed in through the pre-2017 native flow, whose tokens the valid revoke revokes. */
  revokedLoginId: string;
  /** The trip the valid DELETE removes (hostile cases aim at other ids). */
  deleteTripId: string;
  /** The web app's session and the calendar feed (fuzz-targets-web.ts). */
  web?: WebFuzzWorld;
}

export interface FuzzTarget {
  name: string;
  /**
   * The most scrypt computations (password or client-secret checks) one request may make: the
   * oracle allows such a target that many times the machine's measured scrypt cost on top of
   * the time limit (fuzz-run.ts).
   */
  hashes?: number;
  /** The valid request; `rng` picks among samples and, for ids in paths, hostile ids. */
  build(rng: Rng, world: FuzzWorld, hostile: boolean): FuzzRequest;
}

const XML_SAMPLES = [
  'post-trip-tmc-request.xml',
  'tmc-guide-post-trip-request.xml',
  'post-trip-agency-proposal-request.xml',
  'post-trip-triplink-supplier-request.xml',
];
const FIXTURES = ['rich-trip.xml', 'insights/one-way-trip.xml'];
const BOOKING_SAMPLES = [
  'post-booking-request.xml',
  'post-booking-request-tmc-thirdparty-variant.xml',
];

const cache = new Map<string, string>();
function file(name: string, fixture = false): string {
  const key = `${fixture}:${name}`;
  let text = cache.get(key);
  if (text === undefined) {
    text = fixture ? fs.readFileSync(fixturePath(name), 'utf8') : sample(name);
    cache.set(key, text);
  }
  return text;
}

/** A trip document: one of the reference samples or the test fixtures. */
function tripDocument(rng: Rng): string {
  return rng.chance(0.7) ? file(rng.pick(XML_SAMPLES)) : file(rng.pick(FIXTURES), true);
}

/** An id for a path: the valid one, or a hostile one, encoded as a client would. */
const pathId = (rng: Rng, valid: string, hostile: boolean) =>
  segment(hostile && rng.chance(0.5) ? rng.pick(INJECTIONS) || 'x' : valid);

export const TARGETS: readonly FuzzTarget[] = [
  {
    name: 'trip-create',
    build: (rng, w) =>
      request('POST', '/api/travel/trip/v1.1', 'xml', bearer(w.travellerToken), tripDocument(rng)),
  },
  {
    name: 'trip-update',
    build: (rng, w) =>
      request('POST', '/api/travel/trip/v1.1', 'xml', bearer(w.adminToken), tripDocument(rng), {
        tripId: w.tripId,
        userid_type: 'login',
        userid_value: w.tenant.traveller.loginId,
      }),
  },
  {
    name: 'trip-cancel',
    build: (_rng, w) =>
      request('POST', '/api/travel/trip/v1.1/cancel', 'none', bearer(w.travellerToken), undefined, {
        tripId: w.cancelTripId,
      }),
  },
  {
    name: 'booking-post',
    build: (rng, w) =>
      request(
        'POST',
        rng.chance(0.8) ? '/api/travel/booking/v1.1' : '/api/travel/booking/v1.0',
        'xml',
        bearer(w.travellerToken),
        file(rng.pick(BOOKING_SAMPLES)),
      ),
  },
  {
    name: 'booking-cancel',
    build: (rng, w) =>
      request(
        'POST',
        rng.chance(0.8) ? '/api/travel/booking/v1.1/cancel' : '/api/travel/booking/v1.0/cancel',
        'none',
        bearer(w.travellerToken),
        undefined,
        {
          bookingSource: 'Alamo',
          confirmationNumber: 'PANAMA50',
        },
      ),
  },
  {
    name: 'update-coupon',
    build: (_rng, w) =>
      request(
        'POST',
        '/api/travel/booking/v1.1/UpdateCoupon',
        'xml',
        bearer(w.travellerToken),
        file('supplier-air-update-coupon-request.xml'),
      ),
  },
  {
    name: 'trip-read',
    build: (rng, w, hostile) =>
      rng.chance(0.5)
        ? request(
            'GET',
            `/api/travel/trip/v1.1/${pathId(rng, w.tripId, hostile)}`,
            'none',
            bearer(w.travellerToken),
          )
        : request('GET', '/api/travel/trip/v1.1', 'none', bearer(w.travellerToken), undefined, {
            createdAfterDate: '2000-01-01',
          }),
  },
  {
    name: 'v4-read',
    build: (rng, w, hostile) =>
      rng.chance(0.5)
        ? request(
            'GET',
            `/travel/v4/trips/${pathId(rng, w.tripId, hostile)}`,
            'none',
            bearer(w.companyToken),
          )
        : request(
            'GET',
            rng.pick(['/travel/v4/trips', '/travel/v4/trip-changes']),
            'none',
            bearer(w.companyToken),
          ),
  },
  {
    name: 'insights',
    build: (rng, w) =>
      rng.chance(0.5)
        ? request(
            'GET',
            '/api/v3.0/insights/opportunities',
            'none',
            bearer(w.travellerToken),
            undefined,
            { tripId: w.tripId },
          )
        : request(
            'GET',
            '/api/v3.0/insights/latestbookings',
            'none',
            bearer(w.companyToken),
            undefined,
            { user: w.tenant.traveller.loginId },
          ),
  },
  {
    // Hostile ids only once the valid one is deleted: deleting the trip the other targets aim
    // at would blind them.
    name: 'v4-delete',
    build: (rng, w, hostile) =>
      request(
        'DELETE',
        `/travel/v4/trips/${segment(hostile ? `${rng.pick(INJECTIONS)}${w.tripId.slice(0, 4)}` : w.deleteTripId)}`,
        'none',
        bearer(w.companyToken),
      ),
  },
  {
    // The other traveller: anonymizing them takes nothing from the other targets.
    name: 'anonymize',
    build: (_rng, w) =>
      request(
        'POST',
        '/travel/v4/anonymizations',
        'json',
        bearer(w.companyToken),
        JSON.stringify({ loginId: w.tenant.otherTraveller.loginId }),
      ),
  },
  {
    name: 'ess-subscribe',
    build: (rng, w) =>
      request(
        'PUT',
        '/events/v4/subscriptions/webhook',
        'json',
        bearer(w.companyToken),
        JSON.stringify(
          subscriptionBody(`fuzz-${rng.int(1, 5)}`, 'https://hooks.example.com/itinera'),
        ),
      ),
  },
  {
    name: 'oauth-token',
    // The client secret, then the user's password.
    hashes: 2,
    build(rng, w, hostile) {
      const { app, traveller } = w.tenant;
      const client = { client_id: app.clientId, client_secret: app.clientSecret };
      const valid = {
        grant_type: 'password',
        username: traveller.loginId,
        password: traveller.password,
        ...client,
      };
      const form = hostile
        ? rng.pick([
            valid,
            { grant_type: 'client_credentials', scope: 'ITINER', ...client },
            { grant_type: 'refresh_token', refresh_token: 'not-a-token', ...client },
            {
              grant_type: 'authorization_code',
              code: 'not-a-code',
              redirect_uri: 'https://client.example/cb',
              code_verifier: 'v'.repeat(43),
              ...client,
            },
          ])
        : valid;
      return request('POST', '/oauth2/v0/token', 'form', {}, new URLSearchParams(form).toString());
    },
  },
  {
    name: 'oauth-legacy',
    // The client secret of a refresh.
    hashes: 1,
    build(rng, w, hostile) {
      const { app } = w.tenant;
      if (hostile && rng.chance(0.5)) {
        return request('GET', '/net2/oauth2/getaccesstoken.ashx', 'none', {}, undefined, {
          refresh_token: 'not-a-token',
          client_id: app.clientId,
          client_secret: app.clientSecret,
        });
      }
      return request(
        'POST',
        '/net2/oauth2/revoketoken.ashx',
        'none',
        { authorization: `OAuth ${w.adminToken}` },
        undefined,
        {
          consumerKey: app.clientId,
          user: w.revokedLoginId,
        },
      );
    },
  },
  ...WEB_TARGETS,
];

/** Seeds the fuzzer's tenant: tokens, a trip to update and one to cancel, a ticketed booking. */
export async function seedFuzzWorld(context: TestContext): Promise<FuzzWorld> {
  const tenant = await seedTenant(context, { scopes: ESS_SCOPES });
  const travellerToken = await tokenFor(context, tenant, tenant.traveller);
  const adminToken = await tokenFor(context, tenant, tenant.admin);
  const world: FuzzWorld = {
    tenant,
    travellerToken,
    adminToken,
    companyToken: await companyToken(context, tenant.app),
    tripId: '',
    cancelTripId: '',
    deleteTripId: '',
    revokedLoginId: `revoked-${tenant.traveller.loginId}`,
  };
  const password = `pw-${world.revokedLoginId}`;
  await seedDatabase(
    context.database.db,
    validateSeedFile({
      companies: [],
      users: [{ loginId: world.revokedLoginId, password, company: tenant.company }],
      apps: [],
    }),
  );
  const signIn = await context.app.inject({
    method: 'GET',
    url: '/net2/oauth2/accesstoken.ashx',
    headers: {
      authorization: basicAuth(world.revokedLoginId, password),
      'x-consumerkey': tenant.app.clientId,
    },
  });
  if (signIn.statusCode !== 200) throw new Error(`legacy sign-in failed: ${signIn.body}`);
  const post = async (path: string, body: string, query = '') => {
    const response = await context.app.inject({
      method: 'POST',
      url: `${path}${query}`,
      headers: { ...bearer(travellerToken), 'content-type': 'application/xml' },
      payload: body,
    });
    if (response.statusCode !== 200) throw new Error(`seeding ${path} failed: ${response.body}`);
    return /<TripId>([^<]+)<\/TripId>/.exec(response.body)?.[1] ?? '';
  };
  world.tripId = await post('/api/travel/trip/v1.1', file('post-trip-tmc-request.xml'));
  world.cancelTripId = await post('/api/travel/trip/v1.1', file('tmc-guide-post-trip-request.xml'));
  world.deleteTripId = await post(
    '/api/travel/trip/v1.1',
    file('post-trip-agency-proposal-request.xml'),
  );
  await post('/api/travel/booking/v1.1', file('post-booking-request.xml'));
  await post('/api/travel/booking/v1.1', file('supplier-air-post-booking-ticketed-request.xml'));
  world.web = await seedWebFuzz(context, world);
  return world;
}
