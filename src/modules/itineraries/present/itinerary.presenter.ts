/**
 * Builds the documents the trip endpoints answer with: `Itinerary`, `ItineraryInfoList` and
 * the paged `ConnectResponse` (SPEC §2.1, §2.2, §5), or the JSON list; and the rendering
 * stored beside each trip (`storedItinerary`), which details reads send without re-rendering.
 */
import { TripStatus } from '../../../domain/trip-status.js';
import type { XmlListItem, XmlNode, XmlValue } from '../../../xml/document.js';
import {
  serializedContent,
  typedContent,
  type XmlContent,
  type XmlDocument,
  xmlDocument,
  xmlElement,
  xmlFields,
  xmlLeaf,
} from '../../../xml/output/xml-output.js';
import { writeXml, writeXmlContent } from '../../../xml/output/xml-output-writer.js';
import { TRIP_NAMESPACE } from '../../../xml/schema.js';
import type { TripView } from '../rules/trip-view.js';
import type { TripListResult, TripSummaryView } from '../trip-list.service.js';
import { keptRendering } from './kept-renderings.js';

export const TRIP_PATH = '/api/travel/trip/v1.1';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** The `id` of a trip: its URL on this service (COMPATIBILITY.md). */
export function tripUrl(baseUrl: string, tripId: string): string {
  return `${baseUrl}${TRIP_PATH}/${tripId}`;
}

// Frozen: the writer escapes constant attributes once (`writeAttributes`).
const ITINERARY_ATTRIBUTES = Object.freeze({ xmlns: TRIP_NAMESPACE });

/**
 * The content of a trip's `Itinerary` element but its `id`, whose URL depends on the host the
 * client used. `id` comes first in the XSD's order, so it can be put before this content.
 */
function itineraryContent(view: TripView, showLoginId: boolean): XmlContent {
  const canceled = view.status === TripStatus.Canceled;
  const document = tripFields(view, showLoginId);
  // A cancelled trip shows each booking with an empty <Segments /> (its segments were cancelled).
  document.Bookings = view.bookings.map(
    (booking): XmlListItem => ({
      element: 'Booking',
      node: canceled && booking.Segments === undefined ? { ...booking, Segments: [] } : booking,
    }),
  );
  return typedContent(document, 'ItineraryType', { keepEmptyLists: canceled });
}

/** The trip-level elements of a trip but its `id`, with the owner's login id if shown. */
function tripFields(view: TripView, showLoginId: boolean): XmlNode {
  // A copy without `id`, made key by key: spreading then deleting would leave a slow dictionary.
  const document: XmlNode = {};
  for (const name in view.document) {
    if (name !== 'id') document[name] = view.document[name] as XmlValue;
  }
  if (showLoginId) document.UserLoginId = view.owner.login_id;
  return document;
}

/** The `Itinerary` document: the trip's `id` URL, then the rest of the element's content. */
function itinerary(baseUrl: string, tripId: string, ...rest: XmlContent[]): XmlDocument {
  const id = xmlLeaf('id', tripUrl(baseUrl, tripId));
  return xmlDocument(xmlElement('Itinerary', [id, ...rest], ITINERARY_ATTRIBUTES));
}

/** ItineraryType's elements after `Bookings` in the XSD's order (the rest come before it). */
const AFTER_BOOKINGS = ['CustomAttributes', 'RuleViolations'];

/**
 * The answer to a booking POST, in the shape of the booking and TripLink docs' sample (SPEC
 * §2.6, COMPATIBILITY.md): the trip's own elements with the posted booking as a `<Booking>`
 * directly under `<Itinerary>`, where `<Bookings>` would stand, and no other booking (the
 * trip's details show them all). `booking` is the posted one as the caller may see it.
 */
export function presentPostedBooking(
  view: TripView,
  booking: XmlNode,
  options: { baseUrl: string; showLoginId: boolean },
): XmlDocument {
  const before: XmlNode = {};
  const after: XmlNode = {};
  const fields = tripFields(view, options.showLoginId);
  for (const name in fields) {
    if (name === 'Bookings') continue;
    (AFTER_BOOKINGS.includes(name) ? after : before)[name] = fields[name] as XmlValue;
  }
  return itinerary(
    options.baseUrl,
    view.id,
    typedContent(before, 'ItineraryType'),
    xmlElement('Booking', [typedContent(booking, 'BookingType')]),
    typedContent(after, 'ItineraryType'),
  );
}

/**
 * What is stored beside a trip at each write (`trips.rendering`, a `TripRenderer`): the content
 * of its `Itinerary` element without `id`, serialized, as most reads show it (no administrator's
 * `UserLoginId`). `presentStoredItinerary` answers with it.
 */
export function storedItinerary(view: TripView): string {
  return writeXmlContent([itineraryContent(view, false)]);
}

/**
 * The `Itinerary` document of a trip from its stored rendering alone (`storedItinerary`), for
 * reads that need not load the trip's documents.
 */
export function presentStoredItinerary(
  trip: { id: string; rendering: string },
  baseUrl: string,
): XmlDocument {
  return itinerary(baseUrl, trip.id, serializedContent(trip.rendering));
}

/**
 * `presentStoredItinerary` serialized as UTF-8, rendered once per kept read of the trip
 * (`readKey`, store/trip-read-cache.ts) and base URL (present/kept-renderings.ts).
 */
export function storedItineraryBytes(
  trip: { id: string; rendering: string; readKey: object },
  baseUrl: string,
): Buffer {
  return keptRendering(trip.readKey, baseUrl, () =>
    writeXml(presentStoredItinerary(trip, baseUrl)),
  );
}

/** The `Itinerary` document of a trip, from its stored rendering when that is what it shows. */
export function presentItinerary(
  view: TripView,
  options: { baseUrl: string; showLoginId: boolean },
): XmlDocument {
  const rest =
    !options.showLoginId && view.rendering !== undefined
      ? serializedContent(view.rendering)
      : itineraryContent(view, options.showLoginId);
  return itinerary(options.baseUrl, view.id, rest);
}

function infoNode(item: TripSummaryView, includeStatus: boolean, baseUrl: string): XmlNode {
  const node: XmlNode = { TripId: item.tripId, TripName: item.tripName };
  if (includeStatus) node.TripStatus = String(item.status);
  if (item.startLocal) node.StartDateLocal = item.startLocal;
  if (item.endLocal) node.EndDateLocal = item.endLocal;
  if (item.userLoginId) node.UserLoginId = item.userLoginId;
  node.DateModifiedUtc = item.modifiedUtc;
  if (item.bookingSource) node.BookingSource = item.bookingSource;
  if (item.recordLocator) node.RecordLocator = item.recordLocator;
  if (item.passengers) node.Passengers = item.passengers;
  if (item.travelerFirst) node.TravelerFirst = item.travelerFirst;
  if (item.travelerLast) node.TravelerLast = item.travelerLast;
  node.id = tripUrl(baseUrl, item.tripId);
  return node;
}

function pageUrl(listUrl: string, query: Record<string, string>, page: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (key.toLowerCase() !== 'page') params.set(key, value);
  }
  params.set('Page', String(page));
  return `${listUrl}?${params.toString()}`;
}

export interface ListPresentation {
  baseUrl: string;
  /** The query as the client sent it, for paging links. */
  query: Record<string, string>;
}

const LIST_ATTRIBUTES = Object.freeze({
  xmlns: TRIP_NAMESPACE,
  'xmlns:xsi': XSI,
  'xmlns:xsd': 'http://www.w3.org/2001/XMLSchema',
});
/** The paged list's `ItineraryInfoList` re-declares the trip namespace (SPEC §5). */
const PAGED_LIST_ATTRIBUTES = Object.freeze({ xmlns: TRIP_NAMESPACE, 'xmlns:i': XSI });

/** The XML list: `ItineraryInfoList`, wrapped in `ConnectResponse` when paged. */
export function presentTripListXml(result: TripListResult, options: ListPresentation): XmlDocument {
  const items = result.items.map((item) =>
    xmlElement('ItineraryInfo', [xmlFields(infoNode(item, result.includeStatus, options.baseUrl))]),
  );
  if (!result.paging) return xmlDocument(xmlElement('ItineraryInfoList', items, LIST_ATTRIBUTES));
  const { paging } = result;
  const pagingNode: XmlNode = {
    TotalItems: String(paging.totalItems),
    TotalPages: String(paging.totalPages),
    CurrentPage: String(paging.currentPage),
    ItemsPerPage: String(paging.itemsPerPage),
    ...pagingLinks(result, options),
  };
  return xmlDocument(
    xmlElement('ConnectResponse', [
      xmlFields({ Metadata: { Paging: pagingNode } }),
      xmlElement('Data', [xmlElement('ItineraryInfoList', items, PAGED_LIST_ATTRIBUTES)]),
    ]),
  );
}

/**
 * Previous/next page URLs: the same request with another page number. Each is left out when
 * there is no such page, as in the TMC guide's sample (SPEC §10 item 20).
 */
function pagingLinks(
  result: TripListResult,
  options: ListPresentation,
): { PreviousPageURL?: string; NextPageURL?: string } {
  const paging = result.paging;
  if (!paging) return {};
  const listUrl = `${options.baseUrl}${TRIP_PATH}`;
  const links: { PreviousPageURL?: string; NextPageURL?: string } = {};
  if (paging.currentPage > 1 && paging.totalPages > 0) {
    const previous = Math.min(paging.currentPage - 1, paging.totalPages);
    links.PreviousPageURL = pageUrl(listUrl, options.query, previous);
  }
  if (paging.currentPage < paging.totalPages) {
    links.NextPageURL = pageUrl(listUrl, options.query, paging.currentPage + 1);
  }
  return links;
}

/** The JSON list: an array of summaries, or `{ Metadata: { Paging }, Data }` when paged. */
export function presentTripListJson(result: TripListResult, options: ListPresentation): unknown {
  const items = result.items.map((item) => infoNode(item, result.includeStatus, options.baseUrl));
  const paging = result.paging;
  if (!paging) return items;
  return {
    Metadata: {
      Paging: {
        TotalItems: paging.totalItems,
        TotalPages: paging.totalPages,
        CurrentPage: paging.currentPage,
        ItemsPerPage: paging.itemsPerPage,
        ...pagingLinks(result, options),
      },
    },
    Data: items,
  };
}
