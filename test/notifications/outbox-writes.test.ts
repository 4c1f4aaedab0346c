/**
 * The outbox writes: every trip create, update and cancel and every booking post and cancel
 * leaves one row per subscribed app allowed to see the trip, with the `<Notification>` body of
 * the published sample and a Context of what changed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { NotificationRow } from '../../src/db/database.js';
import {
  type AccessWorld,
  supplierTripXml,
  tmcTripXml,
  userToken,
} from '../helpers/access-world.js';
import { useTestContext } from '../helpers/app-fixture.js';
import { bookingXml, cancelBooking, placeBooking } from '../helpers/booking-requests.js';
import {
  appsOf,
  bookingChanges,
  changesOf,
  expectSampleShape,
  rowsFor,
  rowsOfTrip,
  type SubscribedWorld,
  seedSubscribedWorld,
} from '../helpers/notification-world.js';
import type { TestContext } from '../helpers/test-app.js';
import { cancelTrip, createTrip, postTrip } from '../helpers/trip-requests.js';
import { findAll, parseXml, text } from '../helpers/xml-tree.js';

let context: TestContext;
let world: AccessWorld;
let ids: SubscribedWorld['ids'];
let traveller: string;
let expected: SubscribedWorld['expected'];

useTestContext((given) => {
  context = given;
});
beforeAll(async () => {
  ({ world, ids, traveller, expected } = await seedSubscribedWorld(context));
});

describe('trip writes', () => {
  let tripId: string;
  let tmcLocator: string;
  let supplierLocator: string;

  it('CREATE: one row per app that may see the trip, with the sample body', async () => {
    const created = await createTrip(context.app, traveller, tmcTripXml(world, 'Mixed', true));
    tripId = created.tripId;
    [tmcLocator = '', supplierLocator = ''] = findAll(created.doc, 'Bookings/Booking').map(
      (b) => text(b, 'RecordLocator') ?? '',
    );
    const rows = await rowsOfTrip(context, tripId);
    // The other agency's TMC does not see a trip of agency A; the foreign TMC serves another company.
    expect(appsOf(rows)).toEqual(expected('tmc', 'partner', 'supplier'));
    const [row] = await rowsFor(context, tripId, ids.tmc);
    if (!row) throw new Error('no row');
    expectSampleShape(row.body, tripId, 'CREATE', row);
    expect(text(parseXml(row.body), 'ObjectURI')).toBe(text(created.doc, 'id'));
    expect(row).toMatchObject({
      company_id: expect.any(String),
      login_id: world.home.traveller.loginId,
      event_type: 'CREATE',
      status: 'pending',
      attempts: 0,
      claimed_by: null,
      delivered_at: null,
    });
    expect(row.next_attempt_at).toBe(row.created_at);
    expect(row.expires_at - row.created_at).toBe(context.config.notificationMaxAgeSeconds * 1000);
    expect(bookingChanges(row.body)).toEqual({ [tmcLocator]: 'added', [supplierLocator]: 'added' });
    const segments = changesOf(row.body)[0]?.children.map((s) => s.attributes.type);
    expect(segments).toEqual(['Air', 'Hotel', 'Rail']);
    // Partners read the trip whole: the same body.
    expect((await rowsFor(context, tripId, ids.partner))[0]?.body).toBe(row.body);
  });

  it('CREATE: the supplier Context shows its view only', async () => {
    const [row] = await rowsFor(context, tripId, ids.supplier);
    if (!row) throw new Error('no row');
    expectSampleShape(row.body, tripId, 'CREATE', row);
    expect(bookingChanges(row.body)).toEqual({
      [supplierLocator]: 'added',
      [world.tmcSource]: 'added',
    });
    // (The supplier's locator is the TMC's with an S in front: compare whole attributes.)
    expect(row.body).not.toContain(`"${tmcLocator}"`);
    expect(row.body).not.toContain('AIRCONF1');
    // Rail is not a supplier type: the TMC booking shows its flight and hotel only.
    const tmcBooking = changesOf(row.body).find((b) => b.attributes.source === world.tmcSource);
    expect(tmcBooking?.children.map((s) => s.attributes.type)).toEqual(['Air', 'Hotel']);
  });

  it('UPDATE: Context names the trip fields, bookings and segments that changed', async () => {
    const xml = tmcTripXml(world, 'Mixed renamed')
      .replace(/<RecordLocator>[^<]+/, `<RecordLocator>${tmcLocator}`)
      .replace('<FlightNumber>100</FlightNumber>', '<FlightNumber>101</FlightNumber>');
    const response = await postTrip(context.app, traveller, xml, { tripId });
    expect(response.statusCode, response.body).toBe(200);
    const rows = (await rowsOfTrip(context, tripId)).filter((r) => r.event_type === 'UPDATE');
    // The supplier's booking was removed: the supplier hears of it too.
    expect(appsOf(rows)).toEqual(expected('tmc', 'partner', 'supplier'));
    const tmc = rows.find((r) => r.app_id === ids.tmc) as NotificationRow;
    expectSampleShape(tmc.body, tripId, 'UPDATE', tmc);
    const changes = changesOf(tmc.body);
    expect(changes[0]?.name).toBe('Trip');
    // Without the supplier's later flight the trip ends earlier.
    expect(changes[0]?.attributes).toEqual({
      change: 'changed',
      fields: 'EndDateLocal EndDateUtc TripName',
    });
    expect(bookingChanges(tmc.body)).toEqual({
      [tmcLocator]: 'changed',
      [supplierLocator]: 'removed',
    });
    const flight = changes[1]?.children;
    expect(flight?.map((s) => s.attributes)).toEqual([
      { change: 'changed', type: 'Air', confirmationNumber: 'AIRCONF1', start: expect.any(String) },
    ]);
    const supplier = rows.find((r) => r.app_id === ids.supplier) as NotificationRow;
    expect(supplier.body).not.toContain(`"${tmcLocator}"`);
    expect(bookingChanges(supplier.body)[supplierLocator]).toBe('removed');
  });

  it('CANCEL: segments cancelled; a supplier without a booking there hears nothing', async () => {
    expect((await cancelTrip(context.app, traveller, tripId)).statusCode).toBe(200);
    const rows = (await rowsOfTrip(context, tripId)).filter((r) => r.event_type === 'CANCEL');
    expect(appsOf(rows)).toEqual(expected('tmc', 'partner'));
    const tmc = rows.find((r) => r.app_id === ids.tmc) as NotificationRow;
    expectSampleShape(tmc.body, tripId, 'CANCEL', tmc);
    expect(changesOf(tmc.body)[0]?.attributes).toEqual({ change: 'changed', fields: 'TripStatus' });
    expect(bookingChanges(tmc.body)).toEqual({ [tmcLocator]: 'cancelled' });
    const segments = changesOf(tmc.body)[1]?.children.map((s) => s.attributes.change);
    expect(segments).toEqual(['cancelled', 'cancelled', 'cancelled']);
  });

  it("a trip of another agency's TMC reaches that agency, not the first", async () => {
    const other = await userToken(context, world.apps.otherAgencyTmc, world.home.traveller);
    const { tripId: id } = await createTrip(context.app, other, tmcTripXml(world, 'Agency B'));
    expect(appsOf(await rowsOfTrip(context, id))).toEqual(expected('otherAgencyTmc', 'partner'));
  });

  it("a supplier's own trip: its Context shows its booking whole", async () => {
    const supplier = await userToken(context, world.apps.supplier, world.home.traveller);
    const { tripId: id, doc } = await createTrip(
      context.app,
      supplier,
      supplierTripXml(world, 'Own'),
    );
    const rows = await rowsOfTrip(context, id);
    // A trip of no agency: both TMC apps see it.
    expect(appsOf(rows)).toEqual(expected('tmc', 'otherAgencyTmc', 'partner', 'supplier'));
    const locator = text(doc, 'Bookings/Booking/RecordLocator') as string;
    const own = rows.find((r) => r.app_id === ids.supplier) as NotificationRow;
    expect(bookingChanges(own.body)).toEqual({ [locator]: 'added' });
  });
});

describe('booking writes', () => {
  it('CREATE for a booking that starts a trip, UPDATE for one that joins it', async () => {
    const first = await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'BK1', from: 10, to: 12 }),
    );
    const created = await rowsOfTrip(context, first.tripId);
    expect(appsOf(created)).toEqual(expected('tmc', 'partner'));
    expect(created.every((r) => r.event_type === 'CREATE')).toBe(true);
    expectSampleShape(
      created[0]?.body as string,
      first.tripId,
      'CREATE',
      created[0] as NotificationRow,
    );

    const second = await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'BK2', from: 11, to: 12, type: 'Hotel' }),
    );
    expect(second.tripId).toBe(first.tripId);
    const updates = (await rowsFor(context, first.tripId, ids.tmc)).filter(
      (r) => r.event_type === 'UPDATE',
    );
    expect(updates).toHaveLength(1);
    expect(bookingChanges(updates[0]?.body as string)).toEqual({ BK2: 'added' });
  });

  it('booking cancel: UPDATE while segments remain, CANCEL when the trip goes', async () => {
    const { tripId } = await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'CX1', from: 30, to: 31 }),
    );
    await placeBooking(context.app, traveller, bookingXml({ locator: 'CX2', from: 30, to: 32 }));
    const cancel = (locator: string) =>
      cancelBooking(context.app, traveller, {
        bookingSource: 'Alamo',
        confirmationNumber: locator,
      });
    expect((await cancel('CX1')).statusCode).toBe(200);
    let rows = await rowsFor(context, tripId, ids.tmc);
    expect(rows.map((r) => r.event_type)).toEqual(['CREATE', 'UPDATE', 'UPDATE']);
    expect(bookingChanges(rows[2]?.body as string)).toEqual({ CX1: 'cancelled' });
    expect((await cancel('CX2')).statusCode).toBe(200);
    rows = await rowsFor(context, tripId, ids.tmc);
    expect(rows.map((r) => r.event_type)).toEqual(['CREATE', 'UPDATE', 'UPDATE', 'CANCEL']);
    expect(bookingChanges(rows[3]?.body as string)).toEqual({ CX2: 'cancelled' });
  });

  it('a booking that joins two trips: CANCEL for the absorbed one, pointing to the other', async () => {
    const a = await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'MA', from: 60, to: 61 }),
    );
    const b = await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'MB', from: 63, to: 64 }),
    );
    expect(a.tripId).not.toBe(b.tripId);
    const bridge = await placeBooking(
      context.app,
      traveller,
      bookingXml({ locator: 'MC', from: 60, to: 64, type: 'Hotel' }),
    );
    expect(bridge.tripId).toBe(a.tripId);
    const absorbed = (await rowsFor(context, b.tripId, ids.tmc)).at(-1) as NotificationRow;
    expect(absorbed.event_type).toBe('CANCEL');
    expectSampleShape(absorbed.body, b.tripId, 'CANCEL', absorbed);
    expect(changesOf(absorbed.body)[0]?.attributes).toEqual({
      change: 'merged',
      mergedInto: a.tripId,
    });
    expect(bookingChanges(absorbed.body)).toEqual({ MB: 'removed' });
    const target = (await rowsFor(context, a.tripId, ids.tmc)).at(-1) as NotificationRow;
    expect(target.event_type).toBe('UPDATE');
    expect(bookingChanges(target.body)).toEqual({ MB: 'added', MC: 'added' });
  });
});
