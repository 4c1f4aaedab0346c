/**
 * Builds the documents the trip endpoints answer with: `Itinerary`, `ItineraryInfoList` and
 * the paged `ConnectResponse` (NOTES §2.1, §2.2, §5), or the JSON list.
 */
import { TripStatus } from '../../../domain/trip-status.js';
import type { XmlListItem, XmlNode, XmlValue } from '../../../xml/document.js';
import { TRIP_NAMESPACE } from '../../../xml/schema.js';
import {
  wrapXmlContent,
  writeXmlChildren,
  writeXmlDocument,
  XML_DECLARATION,
} from '../../../xml/xml-writer.js';
import type { TripView } from '../rules/trip-view.js';
import type { TripListResult, TripSummaryView } from '../trip-list.service.js';

export const TRIP_PATH = '/api/travel/trip/v1.1';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** The `id` of a trip: its URL on this service (COMPATIBILITY.md). */
export function tripUrl(baseUrl: string, tripId: string): string {
  return `${baseUrl}${TRIP_PATH}/${tripId}`;
}

/**
 * The `Itinerary` document of a trip without its `id` element, whose URL depends on the host
 * the client used: this is what is stored beside the trip (see `withTripUrl`).
 */
export function renderItinerary(view: TripView, showLoginId: boolean): string {
  const canceled = view.status === TripStatus.Canceled;
  // A copy without `id`, made key by key: spreading then deleting would leave a slow dictionary.
  const document: XmlNode = {};
  for (const name in view.document) {
    if (name !== 'id') document[name] = view.document[name] as XmlValue;
  }
  if (showLoginId) document.UserLoginId = view.owner.login_id;
  // A cancelled trip shows each booking with an empty <Segments /> (its segments were cancelled).
  document.Bookings = view.bookings.map(
    (booking): XmlListItem => ({
      element: 'Booking',
      node: canceled && booking.Segments === undefined ? { ...booking, Segments: [] } : booking,
    }),
  );
  return writeXmlDocument('Itinerary', document, {
    typeName: 'ItineraryType',
    namespace: TRIP_NAMESPACE,
    keepEmptyLists: canceled,
  });
}

/**
 * Puts the trip's `id` URL into a rendering from `renderItinerary`. `id` comes first in the
 * XSD's order, so it goes right after the root's start tag (which we wrote: its attribute
 * values hold no `>`).
 */
export function withTripUrl(rendering: string, baseUrl: string, tripId: string): string {
  const rootEnd = rendering.indexOf('>', rendering.indexOf('<Itinerary')) + 1;
  const id = writeXmlChildren({ id: tripUrl(baseUrl, tripId) });
  return rendering.slice(0, rootEnd) + id + rendering.slice(rootEnd);
}

/** The `Itinerary` document of a trip. */
export function presentItinerary(
  view: TripView,
  options: { baseUrl: string; showLoginId: boolean },
): string {
  const rendering =
    !options.showLoginId && view.rendering !== undefined
      ? view.rendering
      : renderItinerary(view, options.showLoginId);
  return withTripUrl(rendering, options.baseUrl, view.id);
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

/** The XML list: `ItineraryInfoList`, wrapped in `ConnectResponse` when paged. */
export function presentTripListXml(result: TripListResult, options: ListPresentation): string {
  const items = result.items.map(
    (item): XmlListItem => ({
      element: 'ItineraryInfo',
      node: infoNode(item, result.includeStatus, options.baseUrl),
    }),
  );
  if (!result.paging) {
    // ItineraryInfo elements repeat directly under the root, which one XmlNode cannot hold.
    const content = items.map((item) => writeXmlChildren({ [item.element]: item.node })).join('');
    return (
      XML_DECLARATION +
      wrapXmlContent('ItineraryInfoList', content, {
        xmlns: TRIP_NAMESPACE,
        'xmlns:xsi': XSI,
        'xmlns:xsd': 'http://www.w3.org/2001/XMLSchema',
      })
    );
  }
  const { paging } = result;
  const links = pagingLinks(result, options);
  const pagingNode: XmlNode = {
    TotalItems: String(paging.totalItems),
    TotalPages: String(paging.totalPages),
    CurrentPage: String(paging.currentPage),
    ItemsPerPage: String(paging.itemsPerPage),
    ...links,
  };
  return writeXmlDocument(
    'ConnectResponse',
    { Metadata: { Paging: pagingNode }, Data: { ItineraryInfoList: items } },
    { nestedNamespaces: { ItineraryInfoList: { xmlns: TRIP_NAMESPACE, 'xmlns:i': XSI } } },
  );
}

/**
 * Previous/next page URLs: the same request with another page number. Each is left out when
 * there is no such page, as in the TMC guide's sample (NOTES §10 item 20).
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
