/**
 * Itinerary v4 (`GET /travel/v4/trips/{id}`): the stored trip rendered as the JSON of Concur's
 * v4 reference (docs/COMPATIBILITY.md, "Itinerary v4"). The same records the v1.1 presenter
 * serializes as XML, walked with the same XSD table (`schema.generated.ts`):
 *
 * - names are the XSD's, which are the names of v4's example (its schema tables differ in a few
 *   spellings, `ID`, `LegID`, `UserLoginID`…; the example, which clients are written against,
 *   wins);
 * - leaves are typed by their XSD type: decimals and integers as JSON numbers, booleans as
 *   `true`/`false`, date-times in the example's form, `…T20:54:19.000+00:00` for UTC values and
 *   `…T15:54:18.000-00:00` (RFC 3339's "offset unknown") for local ones;
 * - list wrappers become arrays, except those v4 shows as an object of arrays keyed by item type
 *   (`Segments: { Air: [...] }`, `Charges: { Fixed: [...] }`, …);
 * - keys come in the example's order (case-insensitive alphabetical).
 */
import type { XmlListItem, XmlNode, XmlValue } from '../../../xml/document.js';
import { SCHEMA } from '../../../xml/schema.generated.js';
import type { ElementDef, LeafElement } from '../../../xml/schema.js';
import type { TripView } from '../rules/trip-view.js';

export const V4_TRIPS_PATH = '/travel/v4/trips';

export type JsonValue = string | number | boolean | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** A v4 trip document: the keys every one has, and the rest as rendered. */
export interface V4Trip extends JsonObject {
  id: string;
  UserLoginId: string;
  Bookings: JsonObject[];
}

/** The `id` (and list `href`) of a trip in v4: its v4 URL on this service. */
export function v4TripUrl(baseUrl: string, tripId: string): string {
  return `${baseUrl}${V4_TRIPS_PATH}/${encodeURIComponent(tripId)}`;
}

/** List wrappers v4 renders as `{ ItemName: [...] }` (its example: Segments, Charges, …). */
const GROUPED_LISTS: ReadonlySet<string> = new Set([
  'Segments',
  'Charges',
  'AirlineCharges',
  'RailCharges',
  'AirlineTickets',
  'RailPayments',
  'FrequentTravelerPrograms',
  'Remarks',
]);

/**
 * Segment types v4 defines (its Segment Element table). v1.1's Event segments have no v4 form
 * and are left out (COMPATIBILITY.md, "Itinerary v4").
 */
const V4_SEGMENT_TYPES: ReadonlySet<string> = new Set([
  'Air',
  'Car',
  'Dining',
  'Hotel',
  'Parking',
  'Rail',
  'Ride',
  'Travel',
]);

/** Trip-level elements that v4 states differently: its own `id`, the owner's login. */
const TRIP_LEVEL_SKIPPED: ReadonlySet<string> = new Set(['id', 'TripId', 'UserLoginId']);

/**
 * Booking-level elements v4 does not have: `Source`, which v1.1 answers with the posting API
 * (its `BookingSource` and `ItinSourceName` are in v4).
 */
const BOOKING_LEVEL_SKIPPED: ReadonlySet<string> = new Set(['Source']);

/**
 * The elements Concur documents beside its XSD (`extension` in the table) that v4 defines, per
 * type: v4's Booking and Parking tables, and the trip's `ItinSourceName` of the events guide
 * ("appears both at the Itinerary level and the Booking level"). The other extensions (Hotel
 * `EndCityCode`, Car `CancellationPolicy`, Ride `IsPersonal`, `PassengerKey`,
 * `OriginalItinLocator`) stay stored but unanswered, as in v1.1's answers.
 */
const V4_EXTENSIONS: Readonly<Record<string, readonly string[]>> = {
  ItineraryType: ['ItinSourceName'],
  BookingType: ['ItinSourceName'],
  ParkingType: ['VendorName'],
};

/** An element of a complex type, with its place in the order v4 shows keys. */
interface Placed {
  def: ElementDef;
  rank: number;
}

/** Per complex type: its elements by name, ranked case-insensitively (computed once). */
const placedByType = new Map<string, ReadonlyMap<string, Placed>>();

function placesOf(typeName: string): ReadonlyMap<string, Placed> {
  let places = placedByType.get(typeName);
  if (!places) {
    const shown = (SCHEMA[typeName]?.elements ?? []).filter(
      (def) =>
        !('extension' in def && def.extension) || V4_EXTENSIONS[typeName]?.includes(def.name),
    );
    const sorted = shown.sort((a, b) => {
      const x = a.name.toLowerCase();
      const y = b.name.toLowerCase();
      return x < y ? -1 : x > y ? 1 : 0;
    });
    places = new Map(sorted.map((def, rank) => [def.name, { def, rank }]));
    placedByType.set(typeName, places);
  }
  return places;
}

const UTC_NAME = /(?:Utc|UTC)$/;
const CANONICAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
const INTEGER = /^-?\d+$/;

/**
 * A leaf in its v4 type. Values the v1.1 reader keeps as sent although they break the XSD type
 * (SPEC §10 items 10, 11, 25, 26: `TripStatus` "HK", `TimeZoneId` "Pacific", `IsPersonal`
 * "Business") stay strings rather than being turned into wrong numbers or booleans; so do
 * integers beyond JSON's exact range.
 */
function leafValue(def: LeafElement, text: string): JsonValue {
  switch (def.type) {
    case 'string':
      return text;
    case 'dateTime':
      if (!CANONICAL_DATE_TIME.test(text)) return text;
      return `${text}.000${UTC_NAME.test(def.name) ? '+00:00' : '-00:00'}`;
    case 'decimal': {
      const value = Number(text);
      return text !== '' && Number.isFinite(value) ? value : text;
    }
    case 'integer':
    case 'unsignedByte': {
      const value = Number(text);
      return INTEGER.test(text) && Number.isSafeInteger(value) ? value : text;
    }
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
  }
}

/**
 * The v4 object of a stored element of XSD type `typeName`. Walks the element's own (few) keys
 * and orders them by rank, rather than walking the type's (up to ~90) elements.
 */
function objectOf(node: XmlNode, typeName: string, skipped?: ReadonlySet<string>): JsonObject {
  const places = placesOf(typeName);
  const present: Placed[] = [];
  for (const name in node) {
    const place = places.get(name);
    if (place && !skipped?.has(name)) present.push(place);
  }
  present.sort((a, b) => a.rank - b.rank);
  const out: JsonObject = {};
  for (const { def } of present) {
    const rendered = renderedValue(def, node[def.name] as XmlValue);
    if (rendered !== undefined) out[def.name] = rendered;
  }
  return out;
}

function renderedValue(def: ElementDef, value: XmlValue): JsonValue | undefined {
  switch (def.kind) {
    case 'leaf':
      return typeof value === 'string' ? leafValue(def, value) : undefined;
    case 'complex': {
      if (typeof value !== 'object' || Array.isArray(value)) return undefined;
      return objectOf(value, def.type);
    }
    case 'list':
      return Array.isArray(value) ? listOf(def.name, def.items, value) : undefined;
    case 'any':
      // `xs:any` content (Warnings, WaitListSegments, AccountingLine) is never stored.
      return undefined;
  }
}

function listOf(
  name: string,
  items: Readonly<Record<string, string>>,
  values: readonly XmlListItem[],
): JsonValue {
  if (!GROUPED_LISTS.has(name)) {
    const array: JsonValue[] = [];
    for (const item of values) {
      const type = items[item.element];
      if (type) array.push(objectOf(item.node, type));
    }
    return array;
  }
  if (name === 'Remarks') return remarksOf(values);
  const groups: Record<string, JsonValue[]> = {};
  for (const item of values) {
    const type = items[item.element];
    if (!type || (name === 'Segments' && !V4_SEGMENT_TYPES.has(item.element))) continue;
    const group = groups[item.element];
    if (group) group.push(objectOf(item.node, type));
    else groups[item.element] = [objectOf(item.node, type)];
  }
  // Item types in the example's order, as the keys of every other object.
  const out: JsonObject = {};
  for (const key of Object.keys(groups).sort()) out[key] = groups[key] as JsonValue[];
  return out;
}

/**
 * `Remarks` as v4 shows them: `{ TripLinkRemarks: [{ TripLinkRemark: [{ Text }, …] }] }`, one
 * array of every remark. The XSD lets a `TripLinkRemarks` item hold one `TripLinkRemark` only, so
 * v1.1 stores each remark in its own item; v4 types `TripLinkRemark` as the array (its example
 * shows three remarks in one), which is where they are gathered, in order.
 */
function remarksOf(values: readonly XmlListItem[]): JsonObject {
  const remarks: JsonValue[] = [];
  for (const item of values) {
    const remark = item.node.TripLinkRemark;
    if (item.element !== 'TripLinkRemarks' || !remark || typeof remark !== 'object') continue;
    if (!Array.isArray(remark))
      remarks.push(objectOf(remark, 'TripLinkRemarks_ArrayOfTripLinkRemark'));
  }
  return remarks.length > 0 ? { TripLinkRemarks: [{ TripLinkRemark: remarks }] } : {};
}

/**
 * The v4 document of a trip as the caller may see it (the view has been through `visibleTrip`).
 * `id` is the trip's v4 URL, as in the reference's example; `UserLoginId` the owner's login
 * (v4 answers company-level tokens only, which v1.1 shows it to as well).
 */
export function presentItineraryV4(view: TripView, baseUrl: string): V4Trip {
  const trip = objectOf(view.document, 'ItineraryType', TRIP_LEVEL_SKIPPED);
  // Every booking has Segments, `{}` when it holds none (the example's second booking; a
  // cancelled trip's bookings, as their v1.1 rendering shows them).
  const bookings = view.bookings.map((booking) => {
    const object = objectOf(booking, 'BookingType', BOOKING_LEVEL_SKIPPED);
    return object.Segments === undefined ? sortedKeys({ ...object, Segments: {} }) : object;
  });
  const id = v4TripUrl(baseUrl, view.id);
  const UserLoginId = view.owner.login_id;
  return {
    ...sortedKeys({ ...trip, Bookings: bookings, id, UserLoginId }),
    id,
    UserLoginId,
    Bookings: bookings,
  };
}

/** The trip object's keys in the example's order, now that `id` and the rest are added. */
function sortedKeys(object: JsonObject): JsonObject {
  const out: JsonObject = {};
  const keys = Object.keys(object).sort((a, b) => {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  });
  for (const key of keys) out[key] = object[key] as JsonValue;
  return out;
}
