/**
 * The outbox writes: every trip create, update and cancel and every booking post and cancel
 * leaves one row per subscribed app allowed to see the trip, in the change's transaction, with
 * the `<Notification>` body of the published sample and a Context of what changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationRow } from '../../src/db/database.js';
import { formatUtc } from '../../src/domain/dates.js';
import { renderNotification } from '../../src/modules/notifications/notification.presenter.js';
import { NotificationOutbox } from '../../src/modules/notifications/notification-outbox.js';
import {
  type AccessWorld,
  seedAccessWorld,
  supplierTripXml,
  tmcTripXml,
  userToken,
} from '../access/access-world.js';
import { bookingXml, cancelBooking, placeBooking } from '../bookings/booking-helpers.js';
import { buildTestApp, sample, type TestContext } from '../helpers/test-app.js';
import {
  cancelTrip,
  createTrip,
  expectError,
  findAll,
  parseXml,
  postTrip,
  text,
} from '../trips/trip-helpers.js';
import {
  appIdOf,
  bookingChanges,
  changesOf,
  rowsFor,
  rowsOfTrip,
  setPostbackUrl,
  subscribe,
} from './notification-helpers.js';

let context: TestContext;
let world: AccessWorld;
/** App ids by persona. */
const ids: Record<'tmc' | 'otherAgencyTmc' | 'supplier' | 'partner' | 'foreignTmc', string> = {
  tmc: '',
  otherAgencyTmc: '',
  supplier: '',
  partner: '',
  foreignTmc: '',
};
let traveller: string;

beforeAll(async () => {
  context = await buildTestApp();
  world = await seedAccessWorld(context);
  for (const name of Object.keys(ids) as (keyof typeof ids)[]) {
    const app = world.apps[name];
    await setPostbackUrl(context, app.clientId, `https://${name}.example/postback`);
    ids[name] = await appIdOf(context, app.clientId);
    const admin = name === 'foreignTmc' ? world.foreign.admin : world.home.admin;
    await subscribe(context, await userToken(context, app, admin));
  }
  traveller = await userToken(context, world.apps.tmc, world.home.traveller);
});
afterAll(() => context.close());

const appsOf = (rows: NotificationRow[]) => rows.map((r) => r.app_id).sort();
const expected = (...names: (keyof typeof ids)[]) => names.map((n) => ids[n]).sort();

/** Children names, namespace and fixed values as in the published sample. */
function expectSampleShape(body: string, tripId: string, eventType: string, row: NotificationRow) {
  const published = parseXml(sample('itinerary-notification-postback.xml'));
  const doc = parseXml(body);
  expect(doc.name).toBe('Notification');
  expect(doc.uri).toBe('');
  expect(doc.children.map((c) => c.name)).toEqual(published.children.map((c) => c.name));
  expect(doc.children.every((c) => c.uri === '')).toBe(true);
  expect(text(doc, 'ObjectType')).toBe(text(published, 'ObjectType'));
  expect(text(doc, 'EventDateTime')).toBe(formatUtc(row.event_at));
  expect(text(doc, 'EventType')).toBe(eventType);
  expect(text(doc, 'TripId')).toBe(tripId);
  expect(body.startsWith('<?xml version="1.0" encoding="utf-8"?><Notification><ObjectType>')).toBe(
    true,
  );
  expect(body.endsWith(`</Context><TripId>${tripId}</TripId></Notification>`)).toBe(true);
}

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

describe('failures and subscriptions', () => {
  it('a refused write leaves no row (400, 403)', async () => {
    const before = await context.database.db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expectError(await postTrip(context.app, traveller, '<Itinerary><Comments/></Itinerary>'), 400);
    const { tripId } = await createTrip(context.app, traveller, tmcTripXml(world, 'Locked'));
    const supplier = await userToken(context, world.apps.supplier, world.home.traveller);
    const rowsBefore = (await rowsOfTrip(context, tripId)).length;
    expectError(
      await postTrip(context.app, supplier, supplierTripXml(world, 'X'), { tripId }),
      403,
    );
    expectError(await cancelTrip(context.app, supplier, tripId), 403);
    expect(await rowsOfTrip(context, tripId)).toHaveLength(rowsBefore);
    const after = await context.database.db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n) + rowsBefore);
  });

  it('rows written in a transaction that then fails are rolled back with it', async () => {
    const outbox = new NotificationOutbox(context.database.db, {
      maxAgeSeconds: 60,
      render: renderNotification,
    });
    const user = await context.database.db
      .selectFrom('users')
      .selectAll()
      .where('login_id', '=', world.home.traveller.loginId)
      .executeTakeFirstOrThrow();
    const work = context.database.write(`traveller:${user.id}`, async (trx) => {
      const notes = await outbox.open(trx, user.company_id, 'http://x');
      if (!notes) throw new Error('expected subscribers');
      await notes.record(trx, {
        eventType: 'CREATE',
        tripId: 'rolled-back-trip',
        agencyId: null,
        owner: user,
        after: { id: 'rolled-back-trip', status: 0, document: {}, bookings: [], owner: user },
        now: Date.now(),
      });
      // The rows are there inside the transaction …
      const inside = await trx
        .selectFrom('notifications')
        .select('id')
        .where('trip_id', '=', 'rolled-back-trip')
        .execute();
      expect(inside.length).toBeGreaterThan(0);
      throw new Error('the change fails after its notifications were written');
    });
    // A write running beside it (on SQLite: in the same group commit) keeps its rows.
    const colleague = await context.database.db
      .selectFrom('users')
      .selectAll()
      .where('login_id', '=', world.home.colleague.loginId)
      .executeTakeFirstOrThrow();
    const beside = context.database.write(`traveller:${colleague.id}`, async (trx) => {
      const notes = await outbox.open(trx, colleague.company_id, 'http://x');
      await notes?.record(trx, {
        eventType: 'CREATE',
        tripId: 'kept-trip',
        agencyId: null,
        owner: colleague,
        after: { id: 'kept-trip', status: 0, document: {}, bookings: [], owner: colleague },
        now: Date.now(),
      });
    });
    await expect(work).rejects.toThrow(/fails after/);
    await beside;
    // … and gone with it, while the other write's rows stay.
    expect(await rowsOfTrip(context, 'rolled-back-trip')).toHaveLength(0);
    expect((await rowsOfTrip(context, 'kept-trip')).length).toBeGreaterThan(0);
  });

  it('tells the delivery side once rows were committed, and only then', async () => {
    let calls = 0;
    const outbox = new NotificationOutbox(context.database.db, {
      maxAgeSeconds: 60,
      render: renderNotification,
      onWritten: () => calls++,
    });
    const user = await context.database.db
      .selectFrom('users')
      .selectAll()
      .where('login_id', '=', world.home.traveller.loginId)
      .executeTakeFirstOrThrow();
    const record = (companyId: string) =>
      context.database.write(`traveller:${user.id}`, async (trx) => {
        const notes = await outbox.open(trx, companyId, 'http://x');
        await notes?.record(trx, {
          eventType: 'CREATE',
          tripId: 'signalled-trip',
          agencyId: null,
          owner: user,
          after: { id: 'signalled-trip', status: 0, document: {}, bookings: [], owner: user },
          now: Date.now(),
        });
      });
    await record('no-such-company');
    outbox.written();
    expect(calls).toBe(0);
    await record(user.company_id);
    outbox.written();
    outbox.written();
    expect(calls).toBe(1);
    expect((await rowsOfTrip(context, 'signalled-trip')).length).toBeGreaterThan(0);
  });

  it('unsubscribe stops new rows; rows already queued stay', async () => {
    const admin = await userToken(context, world.apps.partner, world.home.admin);
    const { tripId } = await createTrip(context.app, traveller, tmcTripXml(world, 'Before'));
    expect(appsOf(await rowsOfTrip(context, tripId))).toContain(ids.partner);
    const response = await context.app.inject({
      method: 'POST',
      url: '/api/company/v1.0/unsubscribe?type=itinerary',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(response.statusCode).toBe(200);
    const { tripId: later } = await createTrip(context.app, traveller, tmcTripXml(world, 'After'));
    expect(appsOf(await rowsOfTrip(context, later))).toEqual(expected('tmc'));
    const queued = await rowsFor(context, tripId, ids.partner);
    expect(queued.map((r) => r.status)).toEqual(['pending']);
  });

  it('an app without a postback URL any more gets no rows', async () => {
    await setPostbackUrl(context, world.apps.tmc.clientId, null);
    const { tripId } = await createTrip(context.app, traveller, tmcTripXml(world, 'No URL'));
    expect(await rowsOfTrip(context, tripId)).toHaveLength(0);
    await setPostbackUrl(context, world.apps.tmc.clientId, 'https://tmc.example/postback');
  });
});
