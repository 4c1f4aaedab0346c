/**
 * Pieces of the TripIt travel objects for `tripit.presenter.ts` and `tripit-span-objects.ts`
 * (SPEC §2.2): the header every object shares (in the order of the published sample's
 * `AirObject`), dates, addresses, costs, people and travelers. Every Concur element read here exists on that segment type
 * in `schema.generated.ts`; one missing on a type simply reads as ''.
 */
import { resolveTimeZone } from '../../../domain/time/time-zone.js';
import { leaf, list, type XmlNode } from '../../../xml/document.js';
import {
  type XmlContent,
  type XmlElement,
  xmlElement,
  xmlFields,
} from '../../../xml/output/xml-output.js';

/** What the objects need besides the booking. */
export interface TripItContext {
  /** This service's base URL: the booking site, as Concur's host is in the sample. */
  baseUrl: string;
}

/**
 * Builds an object's content from its booking and its segments (one, or all of a grouped kind):
 * runs of uniquely named fields (`xmlFields`) between the elements that repeat (`Segment`,
 * `Traveler`, `Guest`), in TripIt order.
 */
export type Builder = (
  booking: XmlNode,
  segments: XmlNode[],
  context: TripItContext,
) => XmlContent[];

/** `<name>` holding `node`'s fields: one of a run of repeated siblings. */
export function repeated(name: string, node: XmlNode): XmlElement {
  return xmlElement(name, [xmlFields(node)]);
}

/** Value of the first of `names` that is a non-empty leaf of `node`, else ''. */
export function pick(node: XmlNode | undefined, ...names: string[]): string {
  if (!node) return '';
  for (const name of names) {
    const value = leaf(node, name);
    if (value) return value;
  }
  return '';
}

/** `{ name: value }` when there is a value, else `{}`: spread into a literal to keep the order. */
export function optional(name: string, value: XmlNode | undefined): XmlNode {
  return value ? { [name]: value } : {};
}

/** The item nodes of list `wrapper` in `node`, only `item` elements when given. */
export function nodes(node: XmlNode, wrapper: string, item?: string): XmlNode[] {
  return list(node, wrapper)
    .filter((i) => item === undefined || i.element === item)
    .map((i) => i.node);
}

/**
 * TripIt `DateTime` of a Concur local date-time. `timezone` only comes from the segment's own
 * `TimeZone`, not from city codes: the sample's PHX/ORD flights carry none.
 */
export function dateTime(segment: XmlNode, name: string): XmlNode | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(:\d{2})?)?/.exec(pick(segment, name));
  if (!m) return undefined;
  const node: XmlNode = { date: m[1] ?? '', time: m[2] ? `${m[2]}${m[3] ?? ':00'}` : '' };
  const timeZone = pick(segment, 'TimeZone');
  const zone = timeZone ? resolveTimeZone({ timeZone }) : undefined;
  if (zone) node.timezone = zone;
  return node;
}

/** TripIt `StartDateTime`/`EndDateTime` of a segment, each left out when its local time is. */
export function startEnd(segment: XmlNode): XmlNode {
  return {
    ...optional('StartDateTime', dateTime(segment, 'StartDateLocal')),
    ...optional('EndDateTime', dateTime(segment, 'EndDateLocal')),
  };
}

/** TripIt `Address` from `{Start|End}Address…Country`, else the first fallback element present. */
export function address(
  segment: XmlNode,
  side: 'Start' | 'End',
  fallbacks: string[],
): XmlNode | undefined {
  const parts = ['Address', 'Address2', 'City', 'State', 'PostalCode', 'Country']
    .map((part) => pick(segment, `${side}${part}`))
    .filter(Boolean);
  const text = parts.length > 0 ? parts.join(', ') : pick(segment, ...fallbacks);
  return text ? { address: text } : undefined;
}

/** Sum of amounts in one currency, e.g. `44.00 USD`; '' when none, or when currencies differ. */
export function totalCost(amounts: Array<{ amount: string; currency: string }>): string {
  const known = amounts.filter((a) => a.amount !== '' && Number.isFinite(Number(a.amount)));
  const currencies = new Set(known.map((a) => a.currency));
  if (known.length === 0 || currencies.size > 1) return '';
  const sum = known.reduce((total, a) => total + Number(a.amount), 0);
  return `${sum.toFixed(2)} ${known[0]?.currency ?? ''}`.trim();
}

/** What a header takes from the segments. */
export type Supplier = { name: string; cost: string; notes: string };

/**
 * Supplier name (first of `names` on the first segment), summed `TotalRate`, and the segments'
 * notes: TripIt has no per-segment notes outside Air, so they go on the object.
 */
export function supplierOf(segments: XmlNode[], ...names: string[]): Supplier {
  const rates = segments.map((s) => ({
    amount: pick(s, 'TotalRate'),
    currency: pick(s, 'Currency'),
  }));
  const notes = segments.map((s) => pick(s, 'Notes')).filter(Boolean);
  return { name: pick(segments[0], ...names), cost: totalCost(rates), notes: notes.join('\n') };
}

/** The fields every object starts with, in the sample's `AirObject` order. */
export function header(
  booking: XmlNode,
  first: XmlNode | undefined,
  context: TripItContext,
  supplier: Supplier,
): XmlNode {
  return {
    booking_site_conf_num: pick(booking, 'RecordLocator'),
    booking_site_name: pick(booking, 'BookingSource'),
    booking_site_phone: '',
    booking_site_url: context.baseUrl,
    record_locator: pick(booking, 'RecordLocator'),
    supplier_conf_num: pick(first, 'ConfirmationNumber'),
    supplier_contact: '',
    supplier_email_address: '',
    supplier_name: supplier.name,
    supplier_phone: pick(first, 'PhoneNumber'),
    supplier_url: '',
    is_purchased: '1',
    notes: supplier.notes,
    restrictions: pick(first, 'CancellationPolicy'),
    total_cost: supplier.cost,
  };
}

/** The booking's passengers. */
export function passengerList(booking: XmlNode): XmlNode[] {
  return nodes(booking, 'Passengers', 'Passenger');
}

/** First, middle and last name: TripIt's `Guest`, `Driver` and `ReservationHolder`. */
export function person(passenger: XmlNode): XmlNode {
  return {
    first_name: pick(passenger, 'NameFirst'),
    middle_name: pick(passenger, 'NameMiddle'),
    last_name: pick(passenger, 'NameLast'),
  };
}

/** The first passenger, as `person` gives it. */
export function firstPerson(booking: XmlNode): XmlNode | undefined {
  const first = passengerList(booking)[0];
  return first && person(first);
}

/** The kinds of `FrequentTravelerPrograms` item a Concur passenger holds. */
export type ProgramKind = 'FrequentFlyer' | 'RailProgram';

/** The passenger's program of that kind, preferring the segment vendor's: [number, vendor]. */
function program(
  passenger: XmlNode,
  kind: ProgramKind | undefined,
  vendor: string,
): [number: string, vendor: string] {
  const programs = kind ? nodes(passenger, 'FrequentTravelerPrograms', kind) : [];
  const chosen =
    programs.find((p) => vendor && pick(p, 'ProgramVendor', 'AirlineVendor') === vendor) ??
    programs[0];
  return [
    pick(chosen, 'FrequentFlyerNumber', 'ProgramNumber'),
    pick(chosen, 'ProgramVendor', 'AirlineVendor'),
  ];
}

/** The ticket naming the passenger (GDS `LAST/FIRST`), or a one-passenger booking's only one. */
function ticketNumber(booking: XmlNode, passenger: XmlNode, passengers: number): string {
  const tickets = nodes(booking, 'AirlineTickets', 'AirlineTicket');
  const last = pick(passenger, 'NameLast').toUpperCase();
  const named = tickets.find((t) => last && pick(t, 'PassengerName').toUpperCase().includes(last));
  return pick(
    named ?? (tickets.length === 1 && passengers === 1 ? tickets[0] : undefined),
    'MasterTicketNumber',
  );
}

/** One `Traveler` per passenger; Concur holds frequent-traveler programs for air and rail only. */
export function travelers(booking: XmlNode, kind?: ProgramKind, vendor = ''): XmlElement[] {
  const passengers = passengerList(booking);
  return passengers.map((p) => {
    const [number, supplier] = program(p, kind, vendor);
    const ticket = kind === 'FrequentFlyer' ? ticketNumber(booking, p, passengers.length) : '';
    return repeated('Traveler', {
      ...person(p),
      frequent_traveler_num: number,
      frequent_traveler_supplier: supplier,
      ticket_num: ticket,
    });
  });
}

/** The segment's seat numbers, comma-separated as TripIt's `seats` holds them. */
export function seats(segment: XmlNode, item: 'AirSeat' | 'RailSeat'): string {
  return nodes(segment, 'Seats', item)
    .map((s) => pick(s, 'SeatNumber'))
    .filter(Boolean)
    .join(', ');
}

/** `'A=Alpha;B=Beta'` → `{ A: 'Alpha', B: 'Beta' }`: keeps code tables to a line or two. */
export function codes(table: string): Readonly<Record<string, string>> {
  return Object.fromEntries(table.split(';').map((entry) => [entry.slice(0, 1), entry.slice(2)]));
}
