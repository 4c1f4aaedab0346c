/**
 * The XML list answer as UTF-8 bytes, kept beside a kept page (present/kept-renderings.ts): the
 * bytes rendered for a page the first time are answered again, once per base URL and query (the
 * paging links carry both), and go with the page.
 */
import { writeXml } from '../../../xml/output/xml-output-writer.js';
import type { TripListResult } from '../trip-list.service.js';
import { type ListPresentation, presentTripListXml } from './itinerary.presenter.js';
import { keptRendering } from './kept-renderings.js';

/** `presentTripListXml` serialized as UTF-8, rendered once per page, base URL and query. */
export function tripListXmlBytes(result: TripListResult, presentation: ListPresentation): Buffer {
  const key = `${presentation.baseUrl}\n${JSON.stringify(presentation.query)}`;
  return keptRendering(result, key, () => writeXml(presentTripListXml(result, presentation)));
}
