/**
 * Unit tests of the TripIt-formatted trip details (`systemFormat=Tripit`). Output is read back
 * with saxes (so every case also checks well-formedness) into a plain element tree, and the Air
 * trip is compared with the published sample parsed the same way.
 */
import { readFileSync } from 'node:fs';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { TripStatus } from '../../../domain/trip-status.js';
import type { XmlListItem, XmlNode } from '../../../xml/document.js';
import { writeXml } from '../../../xml/output/xml-output-writer.js';
import type { TripView } from '../rules/trip-view.js';
import { presentTripItResponse } from './tripit.presenter.js';

const SAMPLE = new URL(
  '../../../../reference/concur/samples/get-trip-details-tripit-format-response.xml',
  import.meta.url,
);
const BASE_URL = 'https://www.concursolutions.com';

/** An element: its children, or its text when it has none (indentation is dropped). */
interface El {
  name: string;
  children: El[];
  text: string;
}

function parse(xml: string): El {
  const parser = new SaxesParser(); // throws on any well-formedness error
  const top: El = { name: '', children: [], text: '' };
  const stack = [top];
  parser.on('opentag', (tag) => {
    const el: El = { name: tag.name, children: [], text: '' };
    stack.at(-1)!.children.push(el);
    stack.push(el);
  });
  parser.on('text', (text) => {
    stack.at(-1)!.text += text;
  });
  parser.on('closetag', () => {
    const el = stack.pop()!;
    if (el.children.length > 0) el.text = '';
  });
  parser.write(xml).close();
  expect(top.children).toHaveLength(1);
  return top.children[0]!;
}

function all(el: El, name: string): El[] {
  return el.children.filter((c) => c.name === name);
}

function one(el: El, name: string, index = 0): El {
  const found = all(el, name)[index];
  if (!found) throw new Error(`no ${name}[${index}] in ${el.name}`);
  return found;
}

/** Leaf values of an element's leaf children, by name. */
function leaves(el: El): Record<string, string> {
  return Object.fromEntries(
    el.children.filter((c) => !c.children.length).map((c) => [c.name, c.text]),
  );
}

function names(el: El): string[] {
  return el.children.map((c) => c.name);
}

function items(element: string, nodes: XmlNode[]): XmlListItem[] {
  return nodes.map((node) => ({ element, node }));
}

function view(document: XmlNode, bookings: XmlNode[], status = 0): TripView {
  return {
    id: '73014481752',
    status,
    document,
    bookings,
    owner: { id: 'u1', login_id: 'william.never@example.com', company_id: 'c1' },
  };
}

function present(trip: TripView): El {
  return parse(writeXml(presentTripItResponse(trip, { baseUrl: BASE_URL })));
}

/** The data behind the published sample, as a Concur trip holds it. */
function sampleTrip(): TripView {
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

describe('presentTripItResponse: the published sample', () => {
  it('reproduces Trip, AirObject, Segment and Traveler element for element', () => {
    const expected = parse(readFileSync(SAMPLE, 'utf8'));
    // Two values cannot come from the Concur data, by design:
    // - record_locator 4294993825 is an internal Concur number; we answer the RecordLocator.
    // - `<stops> stops</stops>` (NumStops absent) is a formatting slip; we answer ''.
    one(one(expected, 'AirObject'), 'record_locator').text = 'RL10001005';
    one(one(one(expected, 'AirObject'), 'Segment', 1), 'stops').text = '';

    expect(present(sampleTrip())).toEqual(expected);
  });

  it('starts with the XML declaration and uses no namespace', () => {
    const xml = writeXml(presentTripItResponse(sampleTrip(), { baseUrl: BASE_URL }));
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?><Response>')).toBe(true);
    expect(xml).not.toContain('xmlns');
  });
});

describe('presentTripItResponse: Trip', () => {
  it.each([
    ['true', 'true'],
    ['Leisure', 'true'],
    ['false', 'false'],
    ['Business', 'false'],
    [undefined, 'false'],
  ])('IsPersonal %s → is_private %s', (isPersonal, expected) => {
    const document: XmlNode = { TripName: 'x' };
    if (isPersonal !== undefined) document.IsPersonal = isPersonal;
    expect(leaves(one(present(view(document, [])), 'Trip')).is_private).toBe(expected);
  });

  it('writes empty dates when the trip has none', () => {
    const trip = leaves(one(present(view({ TripName: 'Undated' }, [])), 'Trip'));
    expect(trip).toMatchObject({ start_date: '', end_date: '', display_name: 'Undated' });
  });

  it('answers a cancelled trip with its Trip only', () => {
    const cancelled = sampleTrip();
    cancelled.status = TripStatus.Canceled;
    const response = present(cancelled);
    expect(names(response)).toEqual(['Trip']);
    expect(leaves(one(response, 'Trip')).display_name).toBe('Strategy Team meeting');
  });
});

describe('presentTripItResponse: Air details', () => {
  it('maps stops, cabins, seats, programs, tickets, fares and time zones', () => {
    const traveler = {
      NameFirst: 'Ann',
      NameMiddle: 'B',
      NameLast: 'Lee',
      FrequentTravelerPrograms: items('FrequentFlyer', [
        { ProgramVendor: 'UA', FrequentFlyerNumber: 'UA-1' },
        { ProgramVendor: 'LH', FrequentFlyerNumber: 'LH-2' },
      ]),
    };
    const booking: XmlNode = {
      RecordLocator: 'ABC123',
      BookingSource: 'Sabre',
      Passengers: items('Passenger', [traveler, { NameFirst: 'Bo', NameLast: 'Kim' }]),
      AirlineTickets: items('AirlineTicket', [
        {
          PassengerName: 'KIM/BO',
          MasterTicketNumber: '2201234567890',
          TotalFare: '100.5000',
          TotalFareCurrency: 'EUR',
        },
        {
          PassengerName: 'LEE/ANN B',
          MasterTicketNumber: '2201234567891',
          TotalFare: '99.5000',
          TotalFareCurrency: 'EUR',
        },
      ]),
      Segments: items('Air', [
        {
          Vendor: 'LH',
          VendorName: 'Lufthansa',
          StartDateLocal: '2024-03-01T09:05:00',
          TimeZone: 'W. Europe Standard Time',
          NumStops: '1',
          ClassOfService: 'K',
          Seats: items('AirSeat', [{ SeatNumber: '12A' }, { SeatNumber: '12B' }]),
        },
        { Vendor: 'LH', NumStops: '2', Cabin: 'C', Duration: '95', Notes: 'Lounge & gate' },
      ]),
    };
    const air = one(present(view({ TripName: 'Munich' }, [booking])), 'AirObject');
    expect(leaves(air)).toMatchObject({
      supplier_name: 'Lufthansa',
      total_cost: '200.00 EUR',
      notes: '',
    });

    const [first, second] = all(air, 'Segment');
    expect(leaves(first!)).toMatchObject({
      stops: '1 stop',
      service_class: 'K',
      seats: '12A, 12B',
    });
    expect(leaves(one(first!, 'StartDateTime'))).toEqual({
      date: '2024-03-01',
      time: '09:05:00',
      timezone: 'Europe/Berlin',
    });
    expect(all(first!, 'EndDateTime')).toHaveLength(0);
    expect(leaves(second!)).toMatchObject({
      stops: '2 stops',
      service_class: 'Business',
      duration: '95',
      notes: 'Lounge & gate',
    });

    const travelers = all(air, 'Traveler').map(leaves);
    expect(travelers).toEqual([
      {
        first_name: 'Ann',
        middle_name: 'B',
        last_name: 'Lee',
        frequent_traveler_num: 'LH-2',
        frequent_traveler_supplier: 'LH',
        ticket_num: '2201234567891',
      },
      {
        first_name: 'Bo',
        middle_name: '',
        last_name: 'Kim',
        frequent_traveler_num: '',
        frequent_traveler_supplier: '',
        ticket_num: '2201234567890',
      },
    ]);
  });
});

/** A booking with one segment of every other kind, in a deliberate order. */
function mixedBooking(): XmlNode {
  return {
    RecordLocator: 'MIX001',
    BookingSource: 'ConcurConnectAPI',
    Passengers: items('Passenger', [
      {
        NameFirst: 'Chris',
        NameLast: 'Miller',
        FrequentTravelerPrograms: items('RailProgram', [
          { ProgramVendor: '2V', ProgramNumber: 'AGR-9' },
        ]),
      },
    ]),
    Segments: items('Hotel', [
      {
        Vendor: 'CQ',
        Name: 'CONCUR HOTEL',
        ConfirmationNumber: '3364214265',
        StartDateLocal: '2013-12-21T23:59:00',
        EndDateLocal: '2013-12-24T23:59:00',
        StartAddress: '601 108th Ave NE',
        StartCity: 'Bellevue',
        StartState: 'WA',
        StartPostalCode: '98004',
        StartCountry: 'US',
        NumPersons: '1',
        NumRooms: '1',
        RoomDescription: '1 KING BED ACCESSIBLE ROOM - K1RRC',
        PhoneNumber: '+1 425 555 0100',
        CancellationPolicy: 'Cxl 1 day prior to Arrival',
        TotalRate: '721.0500',
        Currency: 'USD',
      },
    ])
      .concat(
        items('Car', [
          {
            Vendor: 'ZE',
            ConfirmationNumber: 'F1672664579',
            StartDateLocal: '2013-12-21T12:00:00',
            EndDateLocal: '2013-12-24T12:00:00',
            StartCityCode: 'SEA',
            EndCityCode: 'SEA',
            StartLocation: 'SEA',
            EndLocation: 'SEA',
            Class: 'E',
            Body: 'D',
            TotalRate: '44.0000',
            Currency: 'USD',
            Charges: items('RateWithAllowance', [
              {
                Currency: 'USD',
                Amount: '44.0000',
                AllowanceNumUnits: '250.0000',
                AllowanceAmount: '0.2400',
                AllowanceUnit: 'MI',
              },
            ]),
          },
        ]),
      )
      .concat(
        items('Rail', [
          {
            Vendor: '2V',
            VendorName: 'Amtrak',
            ConfirmationNumber: 'RAIL77',
            StartDateLocal: '2013-12-22T08:00:00',
            EndDateLocal: '2013-12-22T11:30:00',
            StartRailStationName: 'Seattle King Street',
            EndRailStationName: 'Portland Union Station',
            StartCity: 'Seattle',
            TrainNumber: '501',
            TrainTypeName: 'Cascades',
            Cabin: 'Business',
            Seats: items('RailSeat', [
              { SeatNumber: '5', WagonNumber: '3' },
              { SeatNumber: '6', WagonNumber: '3' },
            ]),
            TotalRate: '60.0000',
            Currency: 'USD',
          },
          {
            Vendor: '2V',
            TrainNumber: '508',
            StartRailStation: 'PDX',
            EndRailStation: 'SEA',
            TotalRate: '40.0000',
            Currency: 'USD',
          },
        ]),
      )
      .concat(
        items('Dining', [
          {
            Name: 'Canlis',
            StartDateLocal: '2013-12-22T19:30:00',
            NumPersons: '4',
            StartCity: 'Seattle',
          },
        ]),
      )
      .concat(
        items('Ride', [
          {
            VendorName: 'Limo Co',
            StartLocationName: 'Hotel',
            EndLocationName: 'SEA',
            NumPersons: '1',
          },
        ]),
      )
      .concat(
        items('Parking', [
          { Name: 'Garage B', StartDateLocal: '2013-12-21T06:00:00', StartCityCode: 'SEA' },
        ]),
      )
      .concat(
        items('Event', [
          { Name: 'Keynote', StartAddress: '1 Convention Pl', StartCity: 'Seattle' },
        ]),
      )
      .concat(
        items('Travel', [
          { TransportMode: 'Ferry', StartCityCode: 'SEA', EndCityCode: 'BRE', Vendor: 'WF' },
        ]),
      ),
  };
}

describe('presentTripItResponse: other objects', () => {
  const response = present(view({ TripName: 'Seattle' }, [mixedBooking()]));

  it('emits one object per single-span segment and one per booking for segmented kinds', () => {
    expect(names(response)).toEqual([
      'Trip',
      'LodgingObject',
      'CarObject',
      'RailObject',
      'RestaurantObject',
      'TransportObject',
      'ParkingObject',
      'ActivityObject',
    ]);
    expect(all(one(response, 'TransportObject'), 'Segment')).toHaveLength(2);
  });

  it('maps a hotel to LodgingObject', () => {
    const lodging = one(response, 'LodgingObject');
    expect(names(lodging).slice(15)).toEqual([
      'StartDateTime',
      'EndDateTime',
      'Address',
      'Guest',
      'number_guests',
      'number_rooms',
      'room_type',
    ]);
    expect(leaves(lodging)).toMatchObject({
      booking_site_conf_num: 'MIX001',
      booking_site_name: 'ConcurConnectAPI',
      supplier_conf_num: '3364214265',
      supplier_name: 'CONCUR HOTEL',
      supplier_phone: '+1 425 555 0100',
      restrictions: 'Cxl 1 day prior to Arrival',
      total_cost: '721.05 USD',
      number_guests: '1',
      number_rooms: '1',
      room_type: '1 KING BED ACCESSIBLE ROOM - K1RRC',
    });
    expect(leaves(one(lodging, 'Address')).address).toBe(
      '601 108th Ave NE, Bellevue, WA, 98004, US',
    );
    expect(leaves(one(lodging, 'Guest'))).toEqual({
      first_name: 'Chris',
      middle_name: '',
      last_name: 'Miller',
    });
    expect(leaves(one(lodging, 'EndDateTime'))).toEqual({ date: '2013-12-24', time: '23:59:00' });
  });

  it('maps a car to CarObject', () => {
    const car = one(response, 'CarObject');
    expect(leaves(car)).toMatchObject({
      supplier_name: 'ZE',
      supplier_conf_num: 'F1672664579',
      start_location_name: 'SEA',
      end_location_name: 'SEA',
      car_type: 'Economy 4-door',
      mileage_charges: '250 MI included, then 0.24 USD per MI',
      total_cost: '44.00 USD',
    });
    expect(leaves(one(car, 'StartLocationAddress')).address).toBe('SEA');
    expect(leaves(one(car, 'Driver'))).toEqual({
      first_name: 'Chris',
      middle_name: '',
      last_name: 'Miller',
    });
  });

  it('maps rail segments to one RailObject', () => {
    const rail = one(response, 'RailObject');
    expect(leaves(rail)).toMatchObject({ supplier_name: 'Amtrak', total_cost: '100.00 USD' });
    const [first, second] = all(rail, 'Segment');
    expect(leaves(first!)).toMatchObject({
      start_station_name: 'Seattle King Street',
      end_station_name: 'Portland Union Station',
      carrier_name: 'Amtrak',
      coach_number: '3',
      seats: '5, 6',
      service_class: 'Business',
      train_number: '501',
      train_type: 'Cascades',
      confirmation_num: 'RAIL77',
    });
    expect(leaves(one(first!, 'StartStationAddress')).address).toBe('Seattle');
    expect(leaves(second!)).toMatchObject({
      start_station_name: 'PDX',
      carrier_name: '2V',
      train_number: '508',
    });
    expect(leaves(one(rail, 'Traveler'))).toMatchObject({
      frequent_traveler_num: 'AGR-9',
      frequent_traveler_supplier: '2V',
    });
  });

  it('maps dining, ride/travel, parking and event', () => {
    const restaurant = one(response, 'RestaurantObject');
    expect(leaves(restaurant)).toMatchObject({ restaurant_name: 'Canlis', number_patrons: '4' });
    expect(leaves(one(restaurant, 'DateTime'))).toEqual({ date: '2013-12-22', time: '19:30:00' });
    expect(leaves(one(restaurant, 'ReservationHolder')).last_name).toBe('Miller');

    const [ride, ferry] = all(one(response, 'TransportObject'), 'Segment');
    expect(leaves(ride!)).toMatchObject({
      start_location_name: 'Hotel',
      carrier_name: 'Limo Co',
      number_passengers: '1',
    });
    expect(leaves(ferry!)).toMatchObject({ vehicle_description: 'Ferry', carrier_name: 'WF' });
    expect(leaves(one(ferry!, 'EndLocationAddress')).address).toBe('BRE');

    expect(leaves(one(response, 'ParkingObject')).location_name).toBe('Garage B');
    const activity = one(response, 'ActivityObject');
    expect(leaves(activity).location_name).toBe('Keynote');
    expect(leaves(one(activity, 'Address')).address).toBe('1 Convention Pl, Seattle');
  });

  it('keeps several bookings as sibling objects in booking order', () => {
    const trip = sampleTrip();
    trip.bookings.push(mixedBooking(), sampleTrip().bookings[0]!);
    const objects = names(present(trip));
    expect(objects.filter((n) => n === 'AirObject')).toHaveLength(2);
    expect(objects[1]).toBe('AirObject');
    expect(objects.at(-1)).toBe('AirObject');
  });

  it('writes no object for a booking without segments', () => {
    expect(names(present(view({ TripName: 'x' }, [{ RecordLocator: 'EMPTY' }])))).toEqual(['Trip']);
  });
});

describe('presentTripItResponse: escaping', () => {
  it('escapes markup in every value and keeps the text intact', () => {
    const tricky = 'R&D <Q3> "offsite" \'s ]]> &amp;';
    const booking: XmlNode = {
      RecordLocator: 'A&B<1>',
      BookingSource: '<script>',
      Passengers: items('Passenger', [{ NameFirst: tricky, NameLast: "O'Brien & Sons" }]),
      Segments: items('Hotel', [{ Name: tricky, StartAddress: '1 <Main> St & Co' }]),
    };
    const xml = writeXml(
      presentTripItResponse(view({ TripName: tricky }, [booking]), { baseUrl: BASE_URL }),
    );
    expect(xml).not.toContain('<Q3>');
    expect(xml).not.toContain('<script>');
    expect(xml).toContain('R&amp;D &lt;Q3&gt;');

    const response = parse(xml);
    expect(leaves(one(response, 'Trip')).display_name).toBe(tricky);
    const lodging = one(response, 'LodgingObject');
    expect(leaves(lodging)).toMatchObject({
      booking_site_conf_num: 'A&B<1>',
      booking_site_name: '<script>',
      supplier_name: tricky,
    });
    expect(leaves(one(lodging, 'Address')).address).toBe('1 <Main> St & Co');
    expect(leaves(one(lodging, 'Guest'))).toMatchObject({
      first_name: tricky,
      last_name: "O'Brien & Sons",
    });
  });

  it('drops characters XML 1.0 cannot carry instead of breaking the document', () => {
    const response = present(view({ TripName: 'bell\u0007 and nul\u0000' }, []));
    expect(leaves(one(response, 'Trip')).display_name).toBe('bell and nul');
  });
});
