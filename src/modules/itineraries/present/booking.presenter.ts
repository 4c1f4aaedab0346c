/**
 * The answer to a booking cancel: "the full booking details" (SPEC §2.7). Concur's sample is a
 * lone segment element; Itinera answers the `<Booking>` whose `Segments` are the segments just
 * cancelled, each with its `DateCancelledUtc` (COMPATIBILITY.md). Like the sample's root, it
 * declares no namespace: the published XSD has no target namespace, so a client generated from
 * it reads elements in no namespace and fails on namespaced ones.
 */
import { list, type XmlNode } from '../../../xml/document.js';
import { typedElement, type XmlDocument, xmlDocument } from '../../../xml/output/xml-output.js';
import { CANCELLED_SEGMENTS } from '../rules/cancellation.js';

/** The `<Booking>` document of a cancelled booking. */
export function presentCancelledBooking(booking: XmlNode): XmlDocument {
  const { [CANCELLED_SEGMENTS]: _aside, ...rest } = booking;
  const node: XmlNode = { ...rest, Segments: list(booking, CANCELLED_SEGMENTS) };
  return xmlDocument(
    typedElement('Booking', node, {
      typeName: 'BookingType',
      keepEmptyLists: true,
    }),
  );
}
