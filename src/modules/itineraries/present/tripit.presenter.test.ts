/**
 * Unit tests of the TripIt-formatted trip details (`systemFormat=Tripit`): the published sample,
 * the Trip and the Air details. Output is read back with saxes (so every case also checks
 * well-formedness) into a plain element tree, and the Air trip is compared with the published
 * sample parsed the same way. Other objects and escaping: the `.objects` and `.escaping` files.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { items, sampleTrip, view } from '../../../../test/helpers/trip-views.js';
import { all, type El, leaves, names, one, parse } from '../../../../test/helpers/tripit-tree.js';
import { TripStatus } from '../../../domain/trip-status.js';
import type { XmlNode } from '../../../xml/document.js';
import { writeXml } from '../../../xml/output/xml-output-writer.js';
import type { TripView } from '../rules/trip-view.js';
import { presentTripItResponse } from './tripit.presenter.js';

const SAMPLE = new URL(
  '../../../../reference/concur/samples/get-trip-details-tripit-format-response.xml',
  import.meta.url,
);
const BASE_URL = 'https://www.concursolutions.com';

function present(trip: TripView): El {
  return parse(writeXml(presentTripItResponse(trip, { baseUrl: BASE_URL })));
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
