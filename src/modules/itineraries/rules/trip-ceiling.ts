/**
 * The ceiling on a trip (issue 16): merges used to grow a traveller's trip without bound, until
 * its own XML could no longer be posted back (over the body and element limits) and every post
 * into it slowed down. A write that would take a trip past any of these bounds is refused whole
 * (422 `trip_too_large`); writes that do not grow a trip (cancels, anonymization) are not checked,
 * so a trip stored before the ceiling existed can still shrink. The bounds are checked on the
 * state about to be stored and its rendering, both in memory already: nothing is re-read.
 */
import { errors } from '../../../errors.js';
import { list, type XmlNode } from '../../../xml/document.js';

/** The bounds of one trip. */
export interface TripCeiling {
  /** Most bookings (MAX_TRIP_BOOKINGS). */
  maxBookings: number;
  /** Most segments over all its bookings (MAX_TRIP_SEGMENTS). */
  maxSegments: number;
  /** Most bytes (UTF-8) of its stored rendering: below the body limit, with room for the root. */
  maxBytes: number;
  /** Most elements of its stored rendering: below the reader's element limit. */
  maxElements: number;
}

// What an Itinerary document holds besides the stored rendering (its root, id and links, the XML
// declaration): a trip read whole must still fit the limits it is posted back under. 4 KiB, or an
// eighth of a body limit under 32 KiB (test set-ups; a production limit is far above).
const DOCUMENT_BYTES_MARGIN = 4096;
const DOCUMENT_ELEMENTS_MARGIN = 64;
/** The XML reader's default element limit (xml-reader.ts), which trip POSTs run under. */
export const READER_MAX_ELEMENTS = 20_000;

/** The ceiling for a body limit and the per-trip counts configured. */
export function tripCeiling(options: {
  maxBookings: number;
  maxSegments: number;
  bodyLimitBytes: number;
}): TripCeiling {
  return {
    maxBookings: options.maxBookings,
    maxSegments: options.maxSegments,
    maxBytes:
      options.bodyLimitBytes -
      Math.min(DOCUMENT_BYTES_MARGIN, Math.floor(options.bodyLimitBytes / 8)),
    maxElements: READER_MAX_ELEMENTS - DOCUMENT_ELEMENTS_MARGIN,
  };
}

/** Elements of a rendering our writer made: every `<` there opens or closes one (text is escaped). */
function elementCount(rendering: string): number {
  let count = 0;
  let at = rendering.indexOf('<');
  while (at >= 0) {
    const next = rendering.charCodeAt(at + 1);
    // Not an end tag (/), a comment or CDATA (!), or a processing instruction (?).
    if (next !== 47 && next !== 33 && next !== 63) count++;
    at = rendering.indexOf('<', at + 1);
  }
  return count;
}

/**
 * Refuses (422 `trip_too_large`, naming the bound and the value) a trip state past `ceiling`.
 * Counts are checked first, the cheapest; the rendering's bytes, then its elements, last.
 */
export function assertWithinCeiling(
  ceiling: TripCeiling,
  bookings: readonly XmlNode[],
  rendering: string | undefined,
): void {
  if (bookings.length > ceiling.maxBookings) {
    throw errors.tripTooLarge(
      'bookings',
      bookings.length,
      ceiling.maxBookings,
      'MAX_TRIP_BOOKINGS',
    );
  }
  let segments = 0;
  for (const booking of bookings) segments += list(booking, 'Segments').length;
  if (segments > ceiling.maxSegments) {
    throw errors.tripTooLarge('segments', segments, ceiling.maxSegments, 'MAX_TRIP_SEGMENTS');
  }
  if (rendering === undefined) return;
  // UTF-16 length ≤ UTF-8 bytes ≤ 3 × it: the exact count only when it could matter.
  if (rendering.length * 3 > ceiling.maxBytes) {
    const bytes = Buffer.byteLength(rendering, 'utf8');
    if (bytes > ceiling.maxBytes) {
      throw errors.tripTooLarge('bytes of XML', bytes, ceiling.maxBytes, 'BODY_LIMIT_BYTES');
    }
  }
  // An element takes at least 4 characters (`<a/>`): a short rendering cannot hold too many.
  if (rendering.length / 4 > ceiling.maxElements) {
    const elements = elementCount(rendering);
    if (elements > ceiling.maxElements) {
      throw errors.tripTooLarge('XML elements', elements, ceiling.maxElements, 'the element limit');
    }
  }
}
