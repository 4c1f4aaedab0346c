/**
 * Trips as the presenters receive them (`TripView`), for the presenters' unit tests: list
 * items, a view of a document and its bookings, and the trip behind the published TripIt
 * sample.
 */
import type { TripView } from '../../src/modules/itineraries/rules/trip-view.js';
import type { XmlListItem, XmlNode } from '../../src/xml/document.js';

/** List items of one element name (`Segments` of `Air`, `Passengers` of `Passenger`…). */
export function items(element: string, nodes: XmlNode[]): XmlListItem[] {
  return nodes.map((node) => ({ element, node }));
}

/** The view of a trip with this document and bookings (status 0: active), of one fixed owner. */
export function view(document: XmlNode, bookings: XmlNode[], status = 0): TripView {
  return {
    id: '73014481752',
    status,
    document,
    bookings,
    owner: { id: 'u1', login_id: 'william.never@example.com', company_id: 'c1' },
  };
}

/** The data behind the published sample, as a Concur trip holds it. */
export function sampleTrip(): TripView {
  const flight = {
    Vendor: 'US',
    ConfirmationNumber: 'CN10001005',
    ClassOfService: 'S',
    Cabin: 'Y',
  };
  return view(
    {
      TripName: 'Strategy Team meeting',
      StartDateLocal: '2013-08-21T07:45:00',
      EndDateLocal: '2013-08-24T16:58:00',
      IsPersonal: 'true',
    },
    [
      {
        BookingSource: 'Concur Travel',
        RecordLocator: 'RL10001005',
        Passengers: items('Passenger', [{ NameFirst: 'William', NameLast: 'Never' }]),
        Segments: items('Air', [
          {
            ...flight,
            FlightNumber: '1',
            StartCityCode: 'PHX',
            EndCityCode: 'ORD',
            StartDateLocal: '2013-08-21T07:45:00',
            EndDateLocal: '2013-08-21T13:03:00',
            StartGate: 'A11',
            StartTerminal: '4',
            EndGate: 'F8',
            EndTerminal: '2',
            AircraftCode: '320',
            Miles: '1433',
            NumStops: '0',
          },
          {
            ...flight,
            FlightNumber: '1728',
            StartCityCode: 'ORD',
            EndCityCode: 'PHX',
            StartDateLocal: '2013-08-24T13:55:00',
            EndDateLocal: '2013-08-24T16:58:00',
            AircraftCode: 'A320',
          },
        ]),
      },
    ],
  );
}
