/**
 * Cancelled segments (SPEC §2.5, §2.7): a cancelled booking keeps an empty `Segments` and its
 * cancelled segments are kept aside, out of the documented elements, rather than lost.
 */
import { formatUtc } from '../../../domain/dates.js';
import { CANCELLED_SEGMENTS } from '../../../domain/segment-types.js';
import { segmentsOf } from '../../../domain/trip-derivation.js';
import { leaf, list, type XmlNode } from '../../../xml/document.js';

// Where a cancelled booking keeps its segments (defined in src/domain, re-exported for the module).
export { CANCELLED_SEGMENTS };

/** Cancels every segment of a booking; returns a new document (the input is not changed). */
export function cancelSegments(booking: XmlNode, now: number): XmlNode {
  const segments = list(booking, 'Segments');
  const { Segments: _removed, ...rest } = booking;
  const cancelled: XmlNode = { ...rest, DateModifiedUtc: formatUtc(now) };
  if (segments.length > 0) {
    cancelled[CANCELLED_SEGMENTS] = [...list(booking, CANCELLED_SEGMENTS), ...segments];
  }
  return cancelled;
}

/**
 * Cancels a booking for the booking cancel endpoint: its segments as `cancelSegments` does,
 * each cancelled segment stamped with its `DateCancelledUtc` unless it has one.
 */
export function cancelBooking(booking: XmlNode, now: number): XmlNode {
  const document = cancelSegments(booking, now);
  for (const segment of list(document, CANCELLED_SEGMENTS)) {
    if (!leaf(segment.node, 'DateCancelledUtc')) segment.node.DateCancelledUtc = formatUtc(now);
  }
  return document;
}

/** True when a segment was posted as cancelled (SPEC §2.7: CancellationNumber, DateCancelledUtc). */
function postedAsCancelled(segment: XmlNode): boolean {
  return Boolean(leaf(segment, 'CancellationNumber') || leaf(segment, 'DateCancelledUtc'));
}

/**
 * Moves the segments a booking POST marks as cancelled out of `Segments`, beside the booking
 * (kept, not shown), each with its `DateCancelledUtc`. Mutates and returns `booking`.
 */
export function setAsideCancelledSegments(booking: XmlNode, now: number): XmlNode {
  const segments = list(booking, 'Segments');
  const cancelled = segments.filter((s) => postedAsCancelled(s.node));
  if (cancelled.length === 0) return booking;
  for (const segment of cancelled) {
    if (!leaf(segment.node, 'DateCancelledUtc')) segment.node.DateCancelledUtc = formatUtc(now);
  }
  booking.Segments = segments.filter((s) => !postedAsCancelled(s.node));
  booking[CANCELLED_SEGMENTS] = cancelled;
  return booking;
}

/** True when a booking has cancelled segments and no live ones. */
export function isCancelledBooking(booking: XmlNode): boolean {
  return segmentsOf(booking).length === 0 && list(booking, CANCELLED_SEGMENTS).length > 0;
}

/**
 * True when a booking answers to a confirmation number: its record locator or the
 * ConfirmationNumber of one of its segments, live or cancelled.
 */
export function answersTo(
  booking: { recordLocator: string; document: XmlNode },
  confirmationNumber: string,
): boolean {
  if (booking.recordLocator === confirmationNumber) return true;
  const { document } = booking;
  return [...segmentsOf(document), ...list(document, CANCELLED_SEGMENTS)].some(
    (s) => leaf(s.node, 'ConfirmationNumber') === confirmationNumber,
  );
}
