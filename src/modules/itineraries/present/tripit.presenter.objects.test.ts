/**
 * Unit tests of the TripIt-formatted trip details (`systemFormat=Tripit`): the objects of every
 * kind of segment other than Air (lodging, car, rail, dining, ride, parking, event), and several
 * bookings side by side. Output is read back with saxes into a plain element tree.
 */
import { describe, expect, it } from 'vitest';
import { items, sampleTrip, view } from '../../../../test/helpers/trip-views.js';
import { all, type El, leaves, names, one, parse } from '../../../../test/helpers/tripit-tree.js';
import type { XmlNode } from '../../../xml/document.js';
import { writeXml } from '../../../xml/output/xml-output-writer.js';
import type { TripView } from '../rules/trip-view.js';
import { presentTripItResponse } from './tripit.presenter.js';

const BASE_URL = 'https://www.concursolutions.com';

function present(trip: TripView): El {
  return parse(writeXml(presentTripItResponse(trip, { baseUrl: BASE_URL })));
}

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
