/**
 * One document of an import made ready for the itinerary services, outside any transaction:
 * its root element (`<Itinerary>`: a trip, as POST /api/travel/trip/v1.1 takes it;
 * `<Booking>`: a booking, as POST /api/travel/booking/v1.1 takes it), parsed by the API's own
 * parser (the same limits, encodings and errors), and the traveller it is for.
 */
import { AppError, ErrorCode } from '../../errors.js';
import { leaf, type XmlNode } from '../../xml/document.js';
import { parseXmlDocument } from '../../xml/xml-reader.js';
import type { SourceDocument } from './source-document.js';

/** Who a document is for when the input does not say: the import's options. */
export interface TravellerRules {
  /** Source traveller identifiers → login ids (`--user-map`). */
  userMap?: ReadonlyMap<string, string>;
  /** The login id of documents that name no traveller (`--user`). */
  defaultUser?: string;
}

/** A document ready to post, or the reason it is refused. */
export type PreparedDocument =
  | { ok: true; root: 'Itinerary' | 'Booking'; document: XmlNode; loginId: string }
  | { ok: false; code: string; reason: string };

/** The root element's local name, after the declaration, comments and blanks; or undefined. */
export function rootElementOf(bytes: Buffer): string | undefined {
  let head = bytes.toString('latin1', 0, Math.min(bytes.length, 8192));
  // The start is UTF-8 (BOM), UTF-16 or ASCII-compatible: the root name is ASCII in all but
  // UTF-16, whose NULs are dropped here.
  head = head.replace(/^\xEF\xBB\xBF/, '').replaceAll('\0', '');
  const tags = /<(\?[\s\S]*?\?>|!--[\s\S]*?-->|([A-Za-z_][\w.\-:]*))/g;
  for (let match = tags.exec(head); match; match = tags.exec(head)) {
    const name = match[2];
    if (name !== undefined) return name.slice(name.indexOf(':') + 1);
  }
  return undefined;
}

function refused(code: string, reason: string): PreparedDocument {
  return { ok: false, code, reason };
}

/**
 * The login id of the document's traveller: the input's identifier (NDJSON `user`,
 * `<Traveller id>`, the sub-directory) or the trip's `<UserLoginId>`, through the user map when
 * one is given; without one, the default user.
 */
function loginIdOf(
  source: string | undefined,
  rules: TravellerRules,
): { loginId: string } | { reason: string } {
  if (source !== undefined && source !== '') {
    if (!rules.userMap) return { loginId: source };
    const mapped = rules.userMap.get(source);
    return mapped !== undefined
      ? { loginId: mapped }
      : { reason: `The traveller '${source}' is not in the user map.` };
  }
  if (rules.defaultUser !== undefined) return { loginId: rules.defaultUser };
  return { reason: 'The document names no traveller and no --user was given.' };
}

/** Parses one document and finds its traveller; never throws for bad input (it is refused). */
export function prepareDocument(doc: SourceDocument, rules: TravellerRules): PreparedDocument {
  if (doc.problem !== undefined || doc.bytes === undefined) {
    return refused(ErrorCode.BadRequest, doc.problem ?? 'The input holds no document here.');
  }
  const name = rootElementOf(doc.bytes);
  const root = name === 'Booking' ? 'Booking' : 'Itinerary';
  let document: XmlNode;
  try {
    document = parseXmlDocument(doc.bytes, root);
  } catch (error) {
    if (error instanceof AppError) return refused(error.code, error.message);
    throw error;
  }
  const traveller =
    doc.traveller ?? (root === 'Itinerary' ? leaf(document, 'UserLoginId') : undefined);
  const who = loginIdOf(traveller, rules);
  if ('reason' in who) return refused(ErrorCode.UserNotFound, who.reason);
  return { ok: true, root, document, loginId: who.loginId };
}
