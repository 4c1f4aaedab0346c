/**
 * The TripIt-formatted trip details: `GET /api/travel/trip/v1.1/{tripId}?systemFormat=Tripit`
 * answers `<Response><Trip>…</Trip><AirObject>…</AirObject>…</Response>` instead of the Concur
 * `<Itinerary>` (SPEC §2.2). `Trip`, `AirObject`, `Segment` and `Traveler` follow the only
 * published example (`reference/concur/samples/get-trip-details-tripit-format-response.xml`)
 * element for element; the other objects use TripIt API v1's documented names. This module
 * holds the objects with segments and the document; `tripit-span-objects.ts` the objects with one
 * time span, `tripit-objects.ts` the shared pieces.
 */
import { TripStatus } from '../../../domain/trip-status.js';
import { leaf, list, type XmlNode } from '../../../xml/document.js';
import {
  type XmlContent,
  type XmlDocument,
  type XmlElement,
  xmlDocument,
  xmlElement,
  xmlFields,
} from '../../../xml/output/xml-output.js';
import type { TripView } from '../rules/trip-view.js';
import { TRIP_PATH } from './itinerary.presenter.js';
import {
  address,
  type Builder,
  codes,
  header,
  nodes,
  optional,
  pick,
  repeated,
  seats,
  startEnd,
  supplierOf,
  type TripItContext,
  totalCost,
  travelers,
} from './tripit-objects.js';
import { activity, car, lodging, parking, restaurant } from './tripit-span-objects.js';

/** The date part of a Concur `YYYY-MM-DDThh:mm:ss` value, '' when absent. */
function datePart(value: string | undefined): string {
  return /^\d{4}-\d{2}-\d{2}/.exec(value ?? '')?.[0] ?? '';
}

/** `IsPersonal` is a boolean, but ITIN documents Business/Leisure too (leaf-values.ts). */
function isPrivate(value: string | undefined): string {
  return /^(true|1|leisure)$/i.test(value?.trim() ?? '') ? 'true' : 'false';
}

function tripNode(view: TripView): XmlNode {
  const trip = view.document;
  return {
    id: view.id,
    relative_url: `${TRIP_PATH}/${view.id}`,
    start_date: datePart(leaf(trip, 'StartDateLocal')),
    end_date: datePart(leaf(trip, 'EndDateLocal')),
    display_name: leaf(trip, 'TripName') ?? '',
    is_private: isPrivate(leaf(trip, 'IsPersonal')),
  };
}

// ---------------------------------------------------------------------------------------------
// Objects with segments: Air (as the sample), Rail, Transport; the others are in tripit-objects.ts

/** IATA cabin codes (Concur's `Cabin` is at most 5 characters); other values pass through. */
const CABINS = codes('F=First;P=First;C=Business;J=Business;W=Premium Economy;Y=Economy;M=Economy');

/**
 * `Nonstop`, `1 stop`, `2 stops`; '' when `NumStops` is absent, where the sample shows
 * `<stops> stops</stops>`, evidently a count formatted from nothing.
 */
function stops(numStops: string): string {
  if (numStops === '') return '';
  const n = Number(numStops);
  return n === 0 ? 'Nonstop' : `${n} stop${n === 1 ? '' : 's'}`;
}

/** Air → one `AirObject` per booking, element for element as the published sample. */
const air: Builder = (booking, segments, context) => {
  const tickets = nodes(booking, 'AirlineTickets').map((t) => ({
    amount: pick(t, 'TotalFare'),
    currency: pick(t, 'TotalFareCurrency'),
  }));
  // Only `VendorName`: the sample leaves supplier_name empty although its flights are on US.
  const supplier = { name: pick(segments[0], 'VendorName'), cost: totalCost(tickets), notes: '' };
  const flights = segments.map((s) =>
    repeated('Segment', {
      ...startEnd(s),
      start_airport_code: pick(s, 'StartCityCode'),
      start_gate: pick(s, 'StartGate'),
      start_terminal: pick(s, 'StartTerminal'),
      end_airport_code: pick(s, 'EndCityCode'),
      end_gate: pick(s, 'EndGate'),
      end_terminal: pick(s, 'EndTerminal'),
      marketing_airline: pick(s, 'Vendor'),
      marketing_flight_number: pick(s, 'FlightNumber'),
      aircraft: pick(s, 'AircraftCode'),
      duration: pick(s, 'Duration'),
      distance: pick(s, 'Miles'),
      notes: pick(s, 'Notes'),
      seats: seats(s, 'AirSeat'),
      service_class: CABINS[pick(s, 'Cabin').toUpperCase()] ?? pick(s, 'Cabin', 'ClassOfService'),
      stops: stops(pick(s, 'NumStops')),
    }),
  );
  return [
    // Air keeps each flight's notes on its Segment, as the sample does.
    xmlFields(header(booking, segments[0], context, supplier)),
    ...flights,
    ...travelers(booking, 'FrequentFlyer', pick(segments[0], 'Vendor')),
  ];
};

/** Rail → one `RailObject` per booking, a `Segment` per train. */
const rail: Builder = (booking, segments, context) => {
  const trains = segments.map((s) =>
    repeated('Segment', {
      ...startEnd(s),
      ...optional('StartStationAddress', address(s, 'Start', [])),
      ...optional('EndStationAddress', address(s, 'End', [])),
      start_station_name: pick(s, 'StartRailStationName', 'StartRailStation', 'StartCityCode'),
      end_station_name: pick(s, 'EndRailStationName', 'EndRailStation', 'EndCityCode'),
      carrier_name: pick(s, 'VendorName', 'Vendor'),
      coach_number: pick(s, 'WagonNumber') || pick(nodes(s, 'Seats', 'RailSeat')[0], 'WagonNumber'),
      confirmation_num: pick(s, 'ConfirmationNumber'),
      seats: seats(s, 'RailSeat'),
      service_class: pick(s, 'Cabin', 'ClassOfService'),
      train_number: pick(s, 'TrainNumber'),
      train_type: pick(s, 'TrainTypeName', 'TrainTypeCode'),
    }),
  );
  return [
    xmlFields(header(booking, segments[0], context, supplierOf(segments, 'VendorName', 'Vendor'))),
    ...trains,
    ...travelers(booking, 'RailProgram', pick(segments[0], 'Vendor')),
  ];
};

/** Ride and Travel → one `TransportObject` per booking; only Travel says how (`TransportMode`). */
const transport: Builder = (booking, segments, context) => {
  const legs = segments.map((s) =>
    repeated('Segment', {
      ...startEnd(s),
      ...optional('StartLocationAddress', address(s, 'Start', ['StartCityCode'])),
      ...optional('EndLocationAddress', address(s, 'End', ['EndCityCode'])),
      start_location_name: pick(s, 'StartLocationName', 'StartLocation'),
      end_location_name: pick(s, 'EndLocationName', 'EndLocation'),
      confirmation_num: pick(s, 'ConfirmationNumber'),
      carrier_name: pick(s, 'VendorName', 'Vendor'),
      number_passengers: pick(s, 'NumPersons'),
      vehicle_description: pick(s, 'TransportMode'),
    }),
  );
  return [
    xmlFields(header(booking, segments[0], context, supplierOf(segments, 'VendorName', 'Vendor'))),
    ...legs,
    ...travelers(booking),
  ];
};

/** Concur segment element → TripIt object; a `grouped` object holds all such segments. */
const OBJECTS: Readonly<Record<string, { element: string; grouped: boolean; build: Builder }>> = {
  Air: { element: 'AirObject', grouped: true, build: air },
  Rail: { element: 'RailObject', grouped: true, build: rail },
  Ride: { element: 'TransportObject', grouped: true, build: transport },
  Travel: { element: 'TransportObject', grouped: true, build: transport },
  Hotel: { element: 'LodgingObject', grouped: false, build: lodging },
  Car: { element: 'CarObject', grouped: false, build: car },
  Dining: { element: 'RestaurantObject', grouped: false, build: restaurant },
  Parking: { element: 'ParkingObject', grouped: false, build: parking },
  Event: { element: 'ActivityObject', grouped: false, build: activity },
};

/**
 * The TripIt objects of one booking, in the order their segments first appear: one per
 * segment kind with segments (Air, Rail, Ride+Travel), one per segment for the others
 * (a hotel stay, a rental, a table have a single time span in TripIt's model).
 */
function bookingObjects(booking: XmlNode, context: TripItContext): XmlElement[] {
  const slots: Array<{ kind: (typeof OBJECTS)[string]; segments: XmlNode[] }> = [];
  const grouped = new Map<string, XmlNode[]>();
  for (const item of list(booking, 'Segments')) {
    const kind = OBJECTS[item.element];
    if (!kind) continue;
    const group = kind.grouped ? grouped.get(kind.element) : undefined;
    if (group) {
      group.push(item.node);
      continue;
    }
    const segments = [item.node];
    if (kind.grouped) grouped.set(kind.element, segments);
    slots.push({ kind, segments });
  }
  return slots.map(({ kind, segments }) =>
    xmlElement(kind.element, kind.build(booking, segments, context)),
  );
}

/**
 * The TripIt `<Response>` of a trip: `Trip`, then the travel objects of each booking, in booking
 * order. A cancelled trip answers its `Trip` alone, as its bookings no longer hold segments
 * (SPEC §2.5).
 *
 * @param view the trip as the trip service loads it
 * @param options.baseUrl this service's base URL (`booking_site_url` of the objects)
 * @returns the document
 */
export function presentTripItResponse(view: TripView, options: { baseUrl: string }): XmlDocument {
  const content: XmlContent[] = [xmlElement('Trip', [xmlFields(tripNode(view))])];
  if (view.status !== TripStatus.Canceled) {
    for (const booking of view.bookings) content.push(...bookingObjects(booking, options));
  }
  return xmlDocument(xmlElement('Response', content));
}
