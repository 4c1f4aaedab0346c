import { describe, expect, it } from 'vitest';
import type { XmlListItem, XmlNode } from '../xml/document.js';
import { expenseReadiness, isReadyToExpense } from './expense-readiness.js';

const END = Date.UTC(2026, 11, 10, 18);

function booking(segments: string[], couponStatuses: string[] = [], cancelled: string[] = []) {
  const document: XmlNode = {
    Segments: segments.map((element): XmlListItem => ({ element, node: {} })),
  };
  if (couponStatuses.length > 0) {
    document.AirlineTickets = [
      {
        element: 'AirlineTicket',
        node: {
          AirlineTicketCoupons: couponStatuses.map(
            (status, i): XmlListItem => ({
              element: 'AirlineTicketCoupon',
              node: { CouponNumber: String(i + 1), CouponStatus: status },
            }),
          ),
        },
      },
    ];
  }
  if (cancelled.length > 0) {
    document.__cancelledSegments = cancelled.map((element) => ({ element, node: {} }));
  }
  return document;
}

describe('expenseReadiness', () => {
  it('makes a trip with a car, hotel or ride expensable when it ends', () => {
    for (const type of ['Car', 'Hotel', 'Ride']) {
      expect(expenseReadiness([booking([type])], END)).toEqual({
        expensableAt: END,
        preExpensable: false,
      });
    }
  });

  it('leaves a trip of rail, dining or parking only never expensable', () => {
    expect(expenseReadiness([booking(['Rail', 'Dining', 'Parking', 'Event'])], END)).toEqual({
      expensableAt: null,
      preExpensable: false,
    });
  });

  it('counts air only with a ticket coupon OPEN, USED or PRTD', () => {
    for (const status of ['OPEN', 'USED', 'PRTD', ' open ']) {
      expect(expenseReadiness([booking(['Air'], ['VOID', status])], END)).toEqual({
        expensableAt: END,
        preExpensable: true,
      });
    }
    for (const statuses of [[], ['VOID'], ['RFND', 'EXCH']]) {
      expect(expenseReadiness([booking(['Air'], statuses)], END).expensableAt).toBeNull();
    }
  });

  it('ignores a ticket held by a booking without a live flight', () => {
    const readiness = expenseReadiness([booking(['Rail'], ['OPEN'], ['Air'])], END);
    expect(readiness).toEqual({ expensableAt: null, preExpensable: false });
  });

  it('ignores cancelled hotels', () => {
    expect(expenseReadiness([booking([], [], ['Hotel'])], END).expensableAt).toBeNull();
  });

  it('keeps an undated trip from ever ending', () => {
    expect(expenseReadiness([booking(['Hotel'])], null).expensableAt).toBeNull();
  });
});

describe('isReadyToExpense', () => {
  const hotel = { expensableAt: END, preExpensable: false };
  const air = { expensableAt: END, preExpensable: true };
  it('is ready from the end of the trip on', () => {
    expect(isReadyToExpense(hotel, false, END - 1)).toBe(false);
    expect(isReadyToExpense(hotel, false, END)).toBe(true);
  });
  it('makes ticketed air ready at once with PreExpenseAir only', () => {
    expect(isReadyToExpense(air, false, END - 1)).toBe(false);
    expect(isReadyToExpense(air, true, END - 1)).toBe(true);
    expect(isReadyToExpense(hotel, true, END - 1)).toBe(false);
  });
  it('is never ready without anything to expense', () => {
    expect(isReadyToExpense({ expensableAt: null, preExpensable: false }, true, END)).toBe(false);
  });
});
