/**
 * The `TimeZone` of posted segments must name a zone Itinera can convert with (COMPATIBILITY.md
 * "Issue 12: UpdateCoupon, T24:00:00, unknown TimeZone"). Concur publishes the list of names it takes (TMC3P,
 * ITIN "Time Zones", SPEC §7); a name outside it used to fall silently through to the city code,
 * leaving the caller with UTC times it never asked for. It is refused instead, naming the element.
 */
import { isKnownTimeZone } from '../../../domain/time/time-zone.js';
import { errors } from '../../../errors.js';
import { leaf, list, type XmlNode } from '../../../xml/document.js';

/** Longest part of a refused value echoed in the message. */
const SHOWN = 64;

/**
 * Refuses (400 `invalid_value`) the first segment of `booking` whose non-empty `TimeZone` is not
 * a zone name we accept. `path` names the booking (`Itinerary/Bookings/Booking[2]`, `Booking`).
 * An empty `<TimeZone/>` says "no zone" and stays accepted.
 */
export function checkSegmentTimeZones(booking: XmlNode, path: string): void {
  list(booking, 'Segments').forEach((item, index) => {
    const zone = leaf(item.node, 'TimeZone');
    if (zone === undefined || zone.trim() === '' || isKnownTimeZone(zone)) return;
    const shown = zone.length > SHOWN ? `${zone.slice(0, SHOWN)}…` : zone;
    throw errors.invalidValue(
      `${path}/Segments/${item.element}[${index + 1}]/TimeZone`,
      `unknown time zone '${shown}'; send an IANA name (America/New_York), a Windows zone ID (Pacific Standard Time) or a GMT offset in whole hours (GMT-0500).`,
    );
  });
}
