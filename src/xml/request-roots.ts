/**
 * The documents request bodies may hold: a root element name and the complex type its children
 * follow. Itinerary and Booking are the XSD's; `UpdateCoupon` is the supplier air booking
 * docs' coupon update, whose `<Booking>` root holds elements the XSD puts on an `AirlineTicket`
 * (COMPATIBILITY.md "Issue 12: UpdateCoupon, T24:00:00, unknown TimeZone"), so it gets a type
 * of its own, written by hand.
 */
import { ROOT_TYPES, SCHEMA } from './schema.generated.js';
import type { ComplexTypeDef, SchemaTable } from './schema.js';

/** Each request document: its root element and the type of the root's children. */
export const REQUEST_ROOTS = {
  Itinerary: { element: 'Itinerary', type: ROOT_TYPES.Itinerary },
  Booking: { element: 'Booking', type: ROOT_TYPES.Booking },
  UpdateCoupon: { element: 'Booking', type: 'UpdateCouponRequestType' },
} as const;

/** The name a route gives the document its body must hold. */
export type RequestRoot = keyof typeof REQUEST_ROOTS;

/** The `<Booking>` of `POST …/booking/v1.1/UpdateCoupon`, facets as on `AirlineTicketType`. */
const UPDATE_COUPON_REQUEST: ComplexTypeDef = {
  name: 'UpdateCouponRequestType',
  elements: [
    { kind: 'leaf', name: 'RecordLocator', type: 'string', maxLength: 50 },
    { kind: 'leaf', name: 'PlatingCarrierNumericCode', type: 'string', length: 3 },
    { kind: 'leaf', name: 'PlatingControlNumber', type: 'string', length: 10 },
    { kind: 'complex', name: 'AirlineTicketCoupon', type: 'AirlineTicketCouponType' },
  ],
};

/** Complex types of request documents that the XSD does not define. */
const REQUEST_TYPES: SchemaTable = { [UPDATE_COUPON_REQUEST.name]: UPDATE_COUPON_REQUEST };

/** A complex type a request document may use: the XSD's, or one of `REQUEST_TYPES`. */
export function requestType(typeName: string): ComplexTypeDef | undefined {
  return SCHEMA[typeName] ?? REQUEST_TYPES[typeName];
}
