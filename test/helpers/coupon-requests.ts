/**
 * Request builders for `POST /api/travel/booking/v1.1/UpdateCoupon`: the supplier guide's
 * ticketed booking and coupon update, each for a ticket number of the test's own.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sample } from './reference-files.js';
import { auth, XML_TYPE } from './trip-requests.js';
import { findAll, parseXml, text } from './xml-tree.js';

export const UPDATE_COUPON_PATH = '/api/travel/booking/v1.1/UpdateCoupon';
/** The control number of the samples' ticket (carrier code 016). */
export const SAMPLE_TICKET = '7249117982';

/** The docs' ticketed booking (coupons 1 and 2 OPEN) under `source`, locator, ticket number. */
export function ticketedBooking(source: string, locator: string, controlNumber: string): string {
  return sample('supplier-air-post-booking-ticketed-request.xml')
    .replace('<BookingSource>Ethiad</BookingSource>', `<BookingSource>${source}</BookingSource>`)
    .replace('<RecordLocator>DJM9876</RecordLocator>', `<RecordLocator>${locator}</RecordLocator>`)
    .replace(SAMPLE_TICKET, controlNumber);
}

/** The docs' coupon update, for another ticket number, coupon status or coupon when given. */
export function couponUpdate(
  controlNumber = SAMPLE_TICKET,
  status = 'OPEN',
  couponNumber = '1',
): string {
  return sample('supplier-air-update-coupon-request.xml')
    .replace(SAMPLE_TICKET, controlNumber)
    .replace('<CouponStatus>OPEN</CouponStatus>', `<CouponStatus>${status}</CouponStatus>`)
    .replace('<CouponNumber>1</CouponNumber>', `<CouponNumber>${couponNumber}</CouponNumber>`);
}

/** POST a coupon update (`headers` replace the defaults: Bearer token, application/xml). */
export function updateCoupon(
  app: FastifyInstance,
  token: string,
  xml: string,
  headers: Record<string, string> = {},
  path = UPDATE_COUPON_PATH,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: path,
    headers: { ...auth(token), 'content-type': XML_TYPE, ...headers },
    payload: xml,
  });
}

/** The coupons of a trip's details answer (`body`): "ticket number/coupon" → status. */
export function couponStatusesOf(body: string): Record<string, string> {
  const statuses: Record<string, string> = {};
  for (const ticket of findAll(parseXml(body), 'Bookings/Booking/AirlineTickets/AirlineTicket')) {
    const number = `${text(ticket, 'PlatingCarrierNumericCode')}${text(ticket, 'PlatingControlNumber')}`;
    for (const coupon of findAll(ticket, 'AirlineTicketCoupons/AirlineTicketCoupon')) {
      statuses[`${number}/${text(coupon, 'CouponNumber')}`] = text(coupon, 'CouponStatus') ?? '';
    }
  }
  return statuses;
}
