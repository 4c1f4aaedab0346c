/**
 * A TripLink supplier end to end (SPEC §3): what it may post, change and cancel, and what it
 * sees of a trip holding its own booking beside a TMC's, in details, TripIt format and lists.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AccessWorld,
  companyToken,
  seedAccessWorld,
  supplierTripXml,
  TMC_AMOUNTS,
  tmcTripXml,
  userToken,
} from '../../helpers/access-world.js';
import { useTestContext } from '../../helpers/app-fixture.js';
import type { TestContext } from '../../helpers/test-app.js';
import {
  cancelTrip,
  createTrip,
  expectError,
  getTrip,
  infos,
  listTrips,
  postTrip,
} from '../../helpers/trip-requests.js';
import { find, findAll, parseXml, text } from '../../helpers/xml-tree.js';

let context: TestContext;
let world: AccessWorld;
let supplier: string;
let traveller: string;
let mixedTrip: string;

useTestContext((given) => {
  context = given;
});
beforeAll(async () => {
  world = await seedAccessWorld(context);
  supplier = await userToken(context, world.apps.supplier, world.home.traveller);
  traveller = await userToken(context, world.apps.tmc, world.home.traveller);
  mixedTrip = (await createTrip(context.app, traveller, tmcTripXml(world, 'Mixed', true))).tripId;
});

describe('supplier writes', () => {
  it('creates, updates and cancels a trip of its own bookings', async () => {
    const { tripId, doc } = await createTrip(context.app, supplier, supplierTripXml(world, 'Own'));
    expect(text(doc, 'Bookings/Booking/BookingOwner')).toBe('OpenBookingSupplier');
    expect(text(doc, 'Bookings/Booking/Segments/Hotel/TotalRate')).toBe('199.0000');
    const updated = await postTrip(context.app, supplier, supplierTripXml(world, 'Own v2'), {
      tripId,
    });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(text(parseXml(updated.body), 'TripName')).toBe('Own v2');
    const cancelled = await cancelTrip(context.app, supplier, tripId);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(text(parseXml(cancelled.body), 'TripStatus')).toBe('2');
  });

  it('posts only under its own booking source (case-insensitively)', async () => {
    const lower = await postTrip(
      context.app,
      supplier,
      supplierTripXml(world, 'Lower', world.supplierSource.toLowerCase()),
    );
    expect(lower.statusCode, lower.body).toBe(200);
    const response = await postTrip(
      context.app,
      supplier,
      supplierTripXml(world, 'Other', 'SomeoneElse'),
    );
    expectError(response, 403, /may post only under/);
  });

  it('posts only segments of its travel types', async () => {
    const car = supplierTripXml(world, 'Car').replace(
      '</Segments>',
      '<Car><StartDateLocal>2030-01-01T10:00:00</StartDateLocal></Car></Segments>',
    );
    expectError(await postTrip(context.app, supplier, car), 403, /Car segment.*Air, Hotel/);
    const rail = supplierTripXml(world, 'Rail').replace(
      '</Segments>',
      '<Rail><StartDateLocal>2030-01-01T10:00:00</StartDateLocal></Rail></Segments>',
    );
    expectError(await postTrip(context.app, supplier, rail), 403, /Rail segment/);
  });

  it('may not change or cancel a trip holding another source’s booking, which stays intact', async () => {
    const before = (await getTrip(context.app, traveller, mixedTrip)).body;
    const update = await postTrip(context.app, supplier, supplierTripXml(world, 'Take over'), {
      tripId: mixedTrip,
    });
    expectError(update, 403, /holds bookings of/);
    expectError(await cancelTrip(context.app, supplier, mixedTrip), 403, /holds bookings of/);
    expect((await getTrip(context.app, traveller, mixedTrip)).body).toBe(before);
  });
});

describe('what a supplier sees', () => {
  it('its own booking in full and the TripLink subset of the others', async () => {
    const response = await getTrip(context.app, supplier, mixedTrip);
    expect(response.statusCode, response.body).toBe(200);
    const doc = parseXml(response.body);
    for (const amount of TMC_AMOUNTS) expect(response.body).not.toContain(amount);
    const bookings = findAll(doc, 'Bookings/Booking');
    expect(bookings.map((b) => text(b, 'BookingSource'))).toEqual([
      world.tmcSource,
      world.supplierSource,
    ]);
    const [theirs, ours] = bookings as [(typeof bookings)[0], (typeof bookings)[0]];
    expect(text(theirs, 'RecordLocator')).toBeUndefined();
    expect(find(theirs, 'Segments')?.children.map((s) => s.name)).toEqual(['Air', 'Hotel']);
    expect(text(theirs, 'Segments/Air/StartDateLocal')).toMatch(/T00:00:00$/);
    expect(text(theirs, 'Segments/Air/EndDateUtc')).toMatch(/T00:00:00$/);
    expect(text(theirs, 'Segments/Air/StartGate')).toBeUndefined();
    expect(text(theirs, 'Segments/Hotel/Name')).toBeUndefined();
    expect(text(ours, 'RecordLocator')).toMatch(/^SL/);
    expect(text(ours, 'Segments/Air/StartGate')).toBe('S1');
    expect(text(ours, 'Segments/Air/StartDateLocal')).toMatch(/T10:00:00$/);
    // The trip's own start would reveal the TMC flight's time.
    expect(text(doc, 'StartDateLocal')).toMatch(/T00:00:00$/);
  });

  it('the same subset in TripIt format', async () => {
    const response = await getTrip(context.app, supplier, mixedTrip, { systemFormat: 'Tripit' });
    expect(response.statusCode, response.body).toBe(200);
    for (const amount of TMC_AMOUNTS) expect(response.body).not.toContain(amount);
    expect(response.body).not.toContain('SF-C');
    expect(response.body).not.toContain('G-7');
    expect(response.body).toContain('<start_gate>S1</start_gate>');
    expect(response.body).toContain('<marketing_flight_number>100</marketing_flight_number>');
  });

  it('its own source and locators only in list items', async () => {
    const response = await listTrips(context.app, supplier, { createdAfterDate: '2000-01-01' });
    expect(response.statusCode, response.body).toBe(200);
    const item = infos(parseXml(response.body)).find((i) => text(i, 'TripId') === mixedTrip);
    expect(item).toBeDefined();
    expect(text(item!, 'BookingSource')).toBe(world.supplierSource);
    expect(text(item!, 'RecordLocator')).toMatch(/^SL/);
    expect(text(item!, 'Passengers')).toBeUndefined();
    expect(text(item!, 'StartDateLocal')).toMatch(/T00:00:00$/);
    // The traveller through the TMC sees every source.
    const full = await listTrips(context.app, traveller, { createdAfterDate: '2000-01-01' });
    const fullItem = infos(parseXml(full.body)).find((i) => text(i, 'TripId') === mixedTrip);
    expect(text(fullItem!, 'BookingSource')).toContain(world.tmcSource);
    expect(text(fullItem!, 'Passengers')).toBe('Pat Passenger');
  });
});

describe('TMC agencies', () => {
  it('hide a trip made by one agency from another agency’s app, not trips of no agency', async () => {
    const otherAgency = await companyToken(context, world.apps.otherAgencyTmc);
    const as = { userid_type: 'login', userid_value: world.home.traveller.loginId };
    expectError(await getTrip(context.app, otherAgency, mixedTrip, as), 404);
    const bySupplier = (await createTrip(context.app, supplier, supplierTripXml(world, 'Free')))
      .tripId;
    expect((await getTrip(context.app, otherAgency, bySupplier, as)).statusCode).toBe(200);
    const listed = await listTrips(context.app, otherAgency, {
      ...as,
      createdAfterDate: '2000-01-01',
    });
    const ids = infos(parseXml(listed.body)).map((i) => text(i, 'TripId'));
    expect(ids).toContain(bySupplier);
    expect(ids).not.toContain(mixedTrip);
    // Its own trips stay its own: the first agency cannot change them either.
    const { tripId } = await createTrip(context.app, otherAgency, tmcTripXml(world, 'B'), as);
    const firstAgency = await companyToken(context, world.apps.tmc);
    expectError(await cancelTrip(context.app, firstAgency, tripId, as), 404);
  });
});
