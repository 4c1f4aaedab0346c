/**
 * The XML list answer as UTF-8 bytes, kept beside a kept page. The list service hands the same
 * `TripListResult` object to every request a kept page answers (store/trip-list-cache.ts); the
 * bytes rendered for it the first time are then answered again, once per base URL and query (the
 * paging links carry both), and go with the page. Bytes rather than text: encoding 100 KB of
 * text to UTF-8 on every answer cost more than the rest of answering a kept page.
 */
import { writeXml } from '../../../xml/output/xml-output-writer.js';
import type { TripListResult } from '../trip-list.service.js';
import { type ListPresentation, presentTripListXml } from './itinerary.presenter.js';

/** Renderings kept per page: base URLs and query spellings seen for one page are few. */
const RENDERINGS_PER_PAGE = 4;

const renderings = new WeakMap<TripListResult, Map<string, Buffer>>();

/** `presentTripListXml` serialized as UTF-8, rendered once per page, base URL and query. */
export function tripListXmlBytes(result: TripListResult, presentation: ListPresentation): Buffer {
  const key = `${presentation.baseUrl}\n${JSON.stringify(presentation.query)}`;
  let forms = renderings.get(result);
  const kept = forms?.get(key);
  if (kept !== undefined) return kept;
  const bytes = Buffer.from(writeXml(presentTripListXml(result, presentation)), 'utf8');
  if (forms === undefined) {
    forms = new Map();
    renderings.set(result, forms);
  }
  if (forms.size >= RENDERINGS_PER_PAGE) {
    const oldest = forms.keys().next().value;
    if (oldest !== undefined) forms.delete(oldest);
  }
  forms.set(key, bytes);
  return bytes;
}
