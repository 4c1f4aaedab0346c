/**
 * Latest Bookings (latest-bookings-resource.markdown): the airline segments of the traveller's
 * most recently written booking holding flights, and the hotel of the most recently written
 * booking holding a hotel. Pure: the service hands it the bookings the caller may see.
 */
import { leaf, list, type XmlNode } from '../../../xml/document.js';
import { timelineSegment } from './trip-timeline.js';

/** One booking as the rule reads it: its document and when it was last written. */
export interface DatedBooking {
  document: XmlNode;
  modifiedAt: number;
}

export interface LatestAirline {
  code?: string;
  bookingClass?: string;
}

export interface LatestHotel {
  /** The IATA (city or airport) code of the hotel's place. */
  location?: string;
  /** 0: not known. The itinerary schema holds no star rating, so it is never known here. */
  starRating: number;
}

export interface LatestBookings {
  airlines: LatestAirline[];
  hotel?: LatestHotel;
}

/** The live segments of `type` in a booking, as posted. */
function liveSegments(booking: XmlNode, type: string): XmlNode[] {
  return list(booking, 'Segments')
    .filter((item) => item.element === type && timelineSegment(type, item.node) !== undefined)
    .map((item) => item.node);
}

/** The latest airline segments and hotel among `bookings` (latest write first on ties: last given). */
export function latestBookingsOf(bookings: readonly DatedBooking[]): LatestBookings {
  const newestFirst = bookings
    .map((booking, index) => ({ booking, index }))
    .sort((a, b) => b.booking.modifiedAt - a.booking.modifiedAt || b.index - a.index)
    .map((entry) => entry.booking.document);
  const result: LatestBookings = { airlines: [] };
  for (const document of newestFirst) {
    const flights = liveSegments(document, 'Air');
    if (flights.length === 0) continue;
    result.airlines = flights.map((flight) => {
      const airline: LatestAirline = {};
      const code = leaf(flight, 'Vendor');
      const bookingClass = leaf(flight, 'ClassOfService');
      if (code) airline.code = code;
      if (bookingClass) airline.bookingClass = bookingClass;
      return airline;
    });
    break;
  }
  for (const document of newestFirst) {
    const hotel = liveSegments(document, 'Hotel').at(-1);
    if (!hotel) continue;
    const place = timelineSegment('Hotel', hotel);
    result.hotel = { starRating: 0, ...(place?.startCity ? { location: place.startCity } : {}) };
    break;
  }
  return result;
}
