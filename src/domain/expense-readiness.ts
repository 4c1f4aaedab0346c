/**
 * When a trip can be expensed (SPEC §4 "Expensing", Concur's ITIN FAQ "When Can a Trip Be
 * Expensed?"): after the trip ends, when it has a Car, Hotel or Ride segment, or an Air segment
 * with a ticket holding at least one coupon in status OPEN, USED or PRTD. With the company's
 * PreExpenseAir option, such ticketed air can be expensed as soon as it is ticketed.
 *
 * Computed when a trip is written and stored beside it (`trips.expensable_at`,
 * `trips.pre_expensable`), so that the list filters with SQL; `isReadyToExpense` applies the
 * stored values at a given moment. Only live segments count: a cancelled segment (kept aside by
 * the cancellation rules, out of `Segments`) is nothing to expense.
 */
import { leaf, list, type XmlNode } from '../xml/document.js';
import { segmentsOf } from './trip-derivation.js';

/** The segment types that make a trip expensable once it ends. */
const EXPENSED_AFTER_TRIP = new Set(['Car', 'Hotel', 'Ride']);

/** Coupon statuses that show a ticket was issued and not voided or refunded. */
export const EXPENSABLE_COUPON_STATUSES = new Set(['OPEN', 'USED', 'PRTD']);

/** What a write stores of a trip's readiness. */
export interface ExpenseReadiness {
  /** From this instant (the trip's end, epoch ms) the trip can be expensed; null: never. */
  expensableAt: number | null;
  /** Ticketed air: ready at once for a company with PreExpenseAir. */
  preExpensable: boolean;
}

/** True when a booking holds a ticket with a coupon in an expensable status. */
function holdsExpensableTicket(booking: XmlNode): boolean {
  for (const ticket of list(booking, 'AirlineTickets')) {
    if (ticket.element !== 'AirlineTicket') continue;
    for (const coupon of list(ticket.node, 'AirlineTicketCoupons')) {
      if (coupon.element !== 'AirlineTicketCoupon') continue;
      const status = leaf(coupon.node, 'CouponStatus')?.trim().toUpperCase();
      if (status && EXPENSABLE_COUPON_STATUSES.has(status)) return true;
    }
  }
  return false;
}

/**
 * The readiness of a trip from its bookings' documents and its end instant (`trips.end_at`:
 * UTC when known, else the local time read as UTC). A ticket counts for the Air segments of the
 * booking that holds it (tickets and flights of one record locator). An undated trip never ends,
 * so only PreExpenseAir can make it ready.
 */
export function expenseReadiness(
  bookings: readonly XmlNode[],
  endAt: number | null,
): ExpenseReadiness {
  let afterTrip = false;
  let ticketedAir = false;
  for (const booking of bookings) {
    const segments = segmentsOf(booking);
    if (segments.some((s) => EXPENSED_AFTER_TRIP.has(s.element))) afterTrip = true;
    if (!ticketedAir && segments.some((s) => s.element === 'Air')) {
      ticketedAir = holdsExpensableTicket(booking);
    }
  }
  const expensable = afterTrip || ticketedAir;
  return { expensableAt: expensable ? endAt : null, preExpensable: ticketedAir };
}

/** Whether a trip with these stored values is ready to expense at `now`. */
export function isReadyToExpense(
  readiness: ExpenseReadiness,
  preExpenseAir: boolean,
  now: number,
): boolean {
  if (preExpenseAir && readiness.preExpensable) return true;
  return readiness.expensableAt !== null && readiness.expensableAt <= now;
}
