/**
 * The rules of `UpdateCoupon` (supplier air booking docs, "Use Case 3 - Update Coupon Status";
 * COMPATIBILITY.md "Issue 12: UpdateCoupon, T24:00:00, unknown TimeZone"): what the request
 * must carry, how a stored ticket is found and how a coupon takes the values sent. Pure
 * functions over documents.
 *
 * A ticket is named by its number only, `PlatingCarrierNumericCode` + `PlatingControlNumber`
 * (13 digits, the XSD's `MasterTicketNumber` length): the docs' own sample sends a
 * `RecordLocator` (DJM1013) other than that of the booking holding the ticket (DJM9876), so the
 * record locator is informative and never used to match.
 */
import { errors } from '../../../errors.js';
import { child, leaf, list, type XmlNode } from '../../../xml/document.js';

/** A coupon update as the request states it. */
export interface CouponRequest {
  /** The ticket number: carrier code followed by control number. */
  ticketNumber: string;
  carrierCode: string;
  controlNumber: string;
  couponNumber: string;
  /** The coupon's elements as sent (CouponNumber and CouponStatus among them). */
  coupon: XmlNode;
}

const ROOT = 'Booking';

/** Reads the request document; 400 naming the first missing element. */
export function readCouponRequest(request: XmlNode): CouponRequest {
  const carrierCode = leaf(request, 'PlatingCarrierNumericCode')?.trim();
  if (!carrierCode) throw errors.missingField(`${ROOT}/PlatingCarrierNumericCode`);
  const controlNumber = leaf(request, 'PlatingControlNumber')?.trim();
  if (!controlNumber) throw errors.missingField(`${ROOT}/PlatingControlNumber`);
  const coupon = child(request, 'AirlineTicketCoupon');
  if (!coupon) throw errors.missingField(`${ROOT}/AirlineTicketCoupon`);
  const couponNumber = leaf(coupon, 'CouponNumber');
  if (!couponNumber) throw errors.missingField(`${ROOT}/AirlineTicketCoupon/CouponNumber`);
  if (!leaf(coupon, 'CouponStatus')?.trim()) {
    throw errors.missingField(`${ROOT}/AirlineTicketCoupon/CouponStatus`);
  }
  return {
    ticketNumber: `${carrierCode}${controlNumber}`,
    carrierCode,
    controlNumber,
    couponNumber,
    coupon,
  };
}

/** The ticket number of an `AirlineTicket`, when it names both of its parts. */
function ticketNumberOf(ticket: XmlNode): string | undefined {
  const carrierCode = leaf(ticket, 'PlatingCarrierNumericCode')?.trim();
  const controlNumber = leaf(ticket, 'PlatingControlNumber')?.trim();
  return carrierCode && controlNumber ? `${carrierCode}${controlNumber}` : undefined;
}

/**
 * The ticket numbers the bookings hold, each once: what the ticket index (air_tickets) keeps for
 * their trip. Every ticket `findTicket` can match has its number here.
 */
export function ticketNumbersOf(bookings: readonly XmlNode[]): string[] {
  const numbers = new Set<string>();
  for (const booking of bookings) {
    for (const item of list(booking, 'AirlineTickets')) {
      if (item.element !== 'AirlineTicket') continue;
      const number = ticketNumberOf(item.node);
      if (number) numbers.add(number);
    }
  }
  return [...numbers];
}

/** The booking's `AirlineTicket` with the request's ticket number, if it holds one. */
export function findTicket(booking: XmlNode, request: CouponRequest): XmlNode | undefined {
  for (const item of list(booking, 'AirlineTickets')) {
    if (item.element !== 'AirlineTicket') continue;
    if (
      leaf(item.node, 'PlatingCarrierNumericCode')?.trim() === request.carrierCode &&
      leaf(item.node, 'PlatingControlNumber')?.trim() === request.controlNumber
    ) {
      return item.node;
    }
  }
  return undefined;
}

/** Whether two coupons hold the same values (element order aside). */
function sameCoupon(a: XmlNode, b: XmlNode): boolean {
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]))
  );
}

/**
 * Gives the ticket's coupon the values sent (elements not sent keep theirs), in place. Returns
 * the coupon as it now is and whether anything changed: sending what is stored already (the
 * docs' sample sets coupon 1 to the OPEN it has) changes nothing and still succeeds.
 * 404 when the ticket has no coupon of that number.
 */
export function applyCoupon(
  ticket: XmlNode,
  request: CouponRequest,
): { coupon: XmlNode; changed: boolean } {
  const item = list(ticket, 'AirlineTicketCoupons').find(
    (c) =>
      c.element === 'AirlineTicketCoupon' && leaf(c.node, 'CouponNumber') === request.couponNumber,
  );
  if (!item) throw errors.couponNotFound(request.ticketNumber, request.couponNumber);
  const updated: XmlNode = { ...item.node, ...request.coupon };
  if (sameCoupon(updated, item.node)) return { coupon: item.node, changed: false };
  item.node = updated;
  return { coupon: updated, changed: true };
}
