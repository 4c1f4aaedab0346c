/**
 * Details are served from the rendering stored with each write; every write must show in the
 * next read, and administrators and the TripIt format get their own rendering.
 */
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../helpers/app-fixture.js';
import { type TestContext, tokenFor } from '../../helpers/test-app.js';
import {
  cancelTrip,
  createTrip,
  dayAt,
  getTrip,
  postTrip,
  tripXml,
} from '../../helpers/trip-requests.js';
import { parseXml, text } from '../../helpers/xml-tree.js';

let context: TestContext;
let token: string;
let adminToken: string;
let travellerLogin: string;

useTestApp(async (given) => {
  ({ context, token } = given);
  adminToken = await tokenFor(context, given.tenant, given.tenant.admin);
  travellerLogin = given.tenant.traveller.loginId;
});

const body = (name: string) =>
  tripXml({
    name,
    bookings: [{ locator: 'CACHE1', segments: [{ start: dayAt(2), end: dayAt(4) }] }],
  });

describe('GET /api/travel/trip/v1.1/{tripId} after writes', () => {
  it('shows each update and the cancel, whatever was read before', async () => {
    const { tripId } = await createTrip(context.app, token, body('First name'));
    const read = async () => parseXml((await getTrip(context.app, token, tripId)).body);
    expect(text(await read(), 'TripName')).toBe('First name');
    expect(text(await read(), 'TripName')).toBe('First name');
    for (const name of ['Second name', 'Third name']) {
      expect((await postTrip(context.app, token, body(name), { tripId })).statusCode).toBe(200);
      expect(text(await read(), 'TripName')).toBe(name);
    }
    await cancelTrip(context.app, token, tripId);
    expect(text(await read(), 'TripStatus')).toBe('2');
  });

  it('renders separately for an administrator (UserLoginId) and in the TripIt format', async () => {
    const { tripId } = await createTrip(context.app, token, body('Variants'));
    const own = (await getTrip(context.app, token, tripId)).body;
    const asAdmin = (
      await getTrip(context.app, adminToken, tripId, {
        userid_type: 'login',
        userid_value: travellerLogin,
      })
    ).body;
    const tripit = (await getTrip(context.app, token, tripId, { systemFormat: 'Tripit' })).body;
    expect(own).not.toContain('<UserLoginId>');
    expect(asAdmin).toContain(`<UserLoginId>${travellerLogin}</UserLoginId>`);
    expect(tripit).toContain('<Response>');
  });
});
