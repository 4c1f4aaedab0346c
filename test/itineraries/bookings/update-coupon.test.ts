/**
 * POST /api/travel/booking/v1.1/UpdateCoupon (supplier air booking docs, Use Case 3): the
 * published samples (ticketed booking DJM9876, coupon update naming DJM1013: only the ticket
 * number links them), idempotence, the access rules, the errors, and the change report.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { companyToken, userToken } from '../../helpers/access-world.js';
import { useTestContext } from '../../helpers/app-fixture.js';
import { placeBooking } from '../../helpers/booking-requests.js';
import {
  rowsOfTrip,
  type SubscribedWorld,
  seedSubscribedWorld,
} from '../../helpers/notification-world.js';
import { sample } from '../../helpers/reference-files.js';
import type { TestContext } from '../../helpers/test-app.js';
import { auth, expectError, getTrip, XML_TYPE } from '../../helpers/trip-requests.js';
import { findAll, parseXml, text } from '../../helpers/xml-tree.js';

const PATH = '/api/travel/booking/v1.1/UpdateCoupon';
const SAMPLE_TICKET = '7249117982';

let context: TestContext;
let subscribed: SubscribedWorld;
let supplier: string;
let tmc: string;

useTestContext((given) => {
  context = given;
});
beforeAll(async () => {
  subscribed = await seedSubscribedWorld(context);
  const { world } = subscribed;
  supplier = await userToken(context, world.apps.supplier, world.home.traveller);
  tmc = await companyToken(context, world.apps.tmc);
});

/** The docs' ticketed booking under `source`, with its own locator and ticket number. */
function ticketedBooking(source: string, locator: string, controlNumber: string): string {
  return sample('supplier-air-post-booking-ticketed-request.xml')
    .replace('<BookingSource>Ethiad</BookingSource>', `<BookingSource>${source}</BookingSource>`)
    .replace('<RecordLocator>DJM9876</RecordLocator>', `<RecordLocator>${locator}</RecordLocator>`)
    .replace(SAMPLE_TICKET, controlNumber);
}

/** The docs' coupon update, for another ticket number or coupon status when given. */
function couponUpdate(controlNumber = SAMPLE_TICKET, status = 'OPEN', couponNumber = '1'): string {
  return sample('supplier-air-update-coupon-request.xml')
    .replace(SAMPLE_TICKET, controlNumber)
    .replace('<CouponStatus>OPEN</CouponStatus>', `<CouponStatus>${status}</CouponStatus>`)
    .replace('<CouponNumber>1</CouponNumber>', `<CouponNumber>${couponNumber}</CouponNumber>`);
}

function updateCoupon(token: string, xml: string) {
  return context.app.inject({
    method: 'POST',
    url: PATH,
    headers: { ...auth(token), 'content-type': XML_TYPE },
    payload: xml,
  });
}

/** The coupons of the trip's first ticket: number → status. */
async function couponStatuses(token: string, tripId: string): Promise<Record<string, string>> {
  const response = await getTrip(context.app, token, tripId);
  expect(response.statusCode, response.body).toBe(200);
  const coupons = findAll(
    parseXml(response.body),
    'Bookings/Booking/AirlineTickets/AirlineTicket/AirlineTicketCoupons/AirlineTicketCoupon',
  );
  return Object.fromEntries(
    coupons.map((c) => [text(c, 'CouponNumber') ?? '', text(c, 'CouponStatus') ?? '']),
  );
}

describe('UpdateCoupon', () => {
  it('updates the ticketed sample booking from the published request, found by ticket number', async () => {
    const source = subscribed.world.supplierSource;
    const { tripId } = await placeBooking(
      context.app,
      supplier,
      ticketedBooking(source, 'DJM9876', SAMPLE_TICKET),
    );
    const reportsBefore = (await rowsOfTrip(context, tripId)).length;

    const response = await updateCoupon(supplier, sample('supplier-air-update-coupon-request.xml'));
    expect(response.statusCode, response.body).toBe(200);
    const doc = parseXml(response.body);
    expect(doc.name).toBe('Booking');
    // The booking that holds the ticket, not the sample's DJM1013.
    expect(text(doc, 'RecordLocator')).toBe('DJM9876');
    expect(text(doc, 'PlatingCarrierNumericCode')).toBe('016');
    expect(text(doc, 'PlatingControlNumber')).toBe(SAMPLE_TICKET);
    expect(text(doc, 'AirlineTicketCoupon/CouponStatus')).toBe('OPEN');
    // The other values sent are stored too (the sample moves the coupon's dates).
    expect(text(doc, 'AirlineTicketCoupon/StartDateLocal')).toBe('2016-05-28T15:03:00');
    const trip = parseXml((await getTrip(context.app, supplier, tripId)).body);
    const coupon = findAll(
      trip,
      'Bookings/Booking/AirlineTickets/AirlineTicket/AirlineTicketCoupons/AirlineTicketCoupon',
    )[0];
    expect(coupon && text(coupon, 'StartDateLocal')).toBe('2016-05-28T15:03:00');
    // Reported like every booking write: an UPDATE for each subscribed app that sees the trip.
    const reports = await rowsOfTrip(context, tripId);
    expect(reports.length).toBeGreaterThan(reportsBefore);
    expect(reports.slice(reportsBefore).every((r) => r.event_type === 'UPDATE')).toBe(true);

    // The same request again: the coupon already holds every value; 200, nothing reported.
    const again = await updateCoupon(supplier, sample('supplier-air-update-coupon-request.xml'));
    expect(again.statusCode, again.body).toBe(200);
    expect(text(parseXml(again.body), 'AirlineTicketCoupon/CouponStatus')).toBe('OPEN');
    expect((await rowsOfTrip(context, tripId)).length).toBe(reports.length);

    // Moving coupon 2 to USED leaves coupon 1 as it is.
    const used = await updateCoupon(supplier, couponUpdate(SAMPLE_TICKET, 'USED', '2'));
    expect(used.statusCode, used.body).toBe(200);
    expect(await couponStatuses(supplier, tripId)).toEqual({ 1: 'OPEN', 2: 'USED' });
  });

  it('lets a TMC of the company update a supplier booking’s coupon (company token)', async () => {
    const { tripId } = await placeBooking(
      context.app,
      supplier,
      ticketedBooking(subscribed.world.supplierSource, 'TMC-UPD', '1000000001'),
    );
    const response = await updateCoupon(tmc, couponUpdate('1000000001', 'USED'));
    expect(response.statusCode, response.body).toBe(200);
    expect(text(parseXml(response.body), 'RecordLocator')).toBe('TMC-UPD');
    expect(await couponStatuses(supplier, tripId)).toEqual({ 1: 'USED', 2: 'OPEN' });
  });

  it('refuses a supplier another source’s ticket (403) and a partner (403), changing nothing', async () => {
    const { world } = subscribed;
    const traveller = await userToken(context, world.apps.tmc, world.home.traveller);
    const { tripId } = await placeBooking(
      context.app,
      traveller,
      ticketedBooking(world.tmcSource, 'FOREIGN-1', '2000000002'),
    );
    const reports = (await rowsOfTrip(context, tripId)).length;
    expectError(
      await updateCoupon(supplier, couponUpdate('2000000002', 'USED')),
      403,
      /own bookings/,
    );
    const partner = await userToken(context, world.apps.partner, world.home.traveller);
    expectError(await updateCoupon(partner, couponUpdate('2000000002', 'USED')), 403, /may read/);
    expect(await couponStatuses(traveller, tripId)).toEqual({ 1: 'OPEN', 2: 'OPEN' });
    expect((await rowsOfTrip(context, tripId)).length).toBe(reports);
  });

  it('answers 404 for an unknown ticket or coupon and 400 for a request without them', async () => {
    const { tripId } = await placeBooking(
      context.app,
      supplier,
      ticketedBooking(subscribed.world.supplierSource, 'ERR-1', '3000000003'),
    );
    expectError(await updateCoupon(supplier, couponUpdate('3999999999')), 404, /016 ?3999999999/);
    expectError(
      await updateCoupon(supplier, couponUpdate('3000000003', 'USED', '7')),
      404,
      /no coupon number 7/,
    );
    const noTicket = couponUpdate('3000000003', 'USED').replace(
      '<PlatingControlNumber>3000000003</PlatingControlNumber>',
      '',
    );
    expectError(await updateCoupon(supplier, noTicket), 400, /Booking\/PlatingControlNumber/);
    const noStatus = couponUpdate('3000000003').replace('<CouponStatus>OPEN</CouponStatus>', '');
    expectError(await updateCoupon(supplier, noStatus), 400, /CouponStatus/);
    expectError(await updateCoupon(supplier, ''), 400, /<Booking>/);
    expect(await couponStatuses(supplier, tripId)).toEqual({ 1: 'OPEN', 2: 'OPEN' });
  });
});
