/**
 * The answer to `UpdateCoupon`. The supplier air booking docs leave its "Response" section
 * empty, so Itinera answers in the request's own shape (COMPATIBILITY.md "Issue 12:
 * UpdateCoupon, T24:00:00, unknown TimeZone"): a `<Booking>` without namespace naming the
 * booking that holds the ticket (its stored `RecordLocator`), the ticket number, and the coupon
 * as it is stored now.
 */
import {
  typedElement,
  type XmlDocument,
  xmlDocument,
  xmlElement,
  xmlLeaf,
} from '../../../xml/output/xml-output.js';
import type { UpdatedCoupon } from './update-coupon.service.js';

/** The `<Booking>` answering a coupon update. */
export function presentUpdatedCoupon(result: UpdatedCoupon): XmlDocument {
  return xmlDocument(
    xmlElement('Booking', [
      xmlLeaf('RecordLocator', result.recordLocator),
      xmlLeaf('PlatingCarrierNumericCode', result.request.carrierCode),
      xmlLeaf('PlatingControlNumber', result.request.controlNumber),
      typedElement('AirlineTicketCoupon', result.coupon, { typeName: 'AirlineTicketCouponType' }),
    ]),
  );
}
