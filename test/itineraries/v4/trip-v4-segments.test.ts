/**
 * Every segment type the stored model holds, as Itinerary v4 renders it: v4's Segment Element
 * keys (Air, Car, Dining, Hotel, Parking, Rail, Ride, Travel) with typed leaves; v1.1's Event
 * segments, which v4 does not define, left out; a cancelled trip's bookings with empty Segments.
 */
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestTenant } from '../../helpers/app-fixture.js';
import { fixturePath } from '../../helpers/reference-files.js';
import type { Tenant, TestContext } from '../../helpers/test-app.js';
import { cancelTrip, createTrip, dayAt, tripXml } from '../../helpers/trip-requests.js';
import { getTripV4, v4Token } from '../../helpers/v4-requests.js';

type Json = Record<string, unknown>;

let context: TestContext;
let tenant: Tenant;
let token: string;
let trip: Json;
let tripId: string;

const forTraveller = () => ({ userid_type: 'login_id', userid_value: tenant.traveller.loginId });

useTestTenant((given) => {
  ({ context, tenant } = given);
});
beforeAll(async () => {
  token = await v4Token(context, tenant.app);
  const xml = fs.readFileSync(fixturePath('rich-trip.xml'), 'utf8');
  ({ tripId } = await createTrip(context.app, token, xml, forTraveller()));
  const response = await getTripV4(context.app, token, tripId);
  expect(response.statusCode, response.body).toBe(200);
  trip = response.json() as Json;
});

function segments(bookingIndex = 0): Record<string, Json[]> {
  const booking = (trip.Bookings as Json[])[bookingIndex] as Json;
  return booking.Segments as Record<string, Json[]>;
}

describe('v4 segments', () => {
  it('groups segments by type under v4 names, without v1.1 Event segments', () => {
    expect(Object.keys(segments())).toEqual([
      'Air',
      'Car',
      'Dining',
      'Hotel',
      'Parking',
      'Rail',
      'Ride',
      'Travel',
    ]);
    expect(JSON.stringify(trip)).not.toContain('Conference');
    expect(Object.keys(segments(1))).toEqual(['Car']);
  });

  it('types each segment type’s leaves: numbers, booleans, dates', () => {
    const { Air, Car, Dining, Hotel, Parking, Rail, Ride, Travel } = segments();
    expect(Air?.[0]).toMatchObject({
      Vendor: 'AZ',
      FlightNumber: '0042',
      Miles: 303,
      StartDateLocal: '2030-05-01T07:00:00.000-00:00',
      Charges: { Fixed: [{ Amount: 333.75, Currency: 'EUR', IsPaid: false }] },
      Seats: [{ PassengerRph: 1, SeatNumber: '12A' }],
    });
    expect(Car?.[0]).toMatchObject({ DailyRate: 45.91, NumCars: 1 });
    expect(Hotel?.[0]).toMatchObject({ DailyRate: 150, Name: 'Hotel Roma' });
    expect(Dining?.[0]).toMatchObject({ NumPersons: 4, StartLatitude: 41.9, StartLongitude: 12.5 });
    expect(Ride?.[0]).toMatchObject({ NumberOfHours: 1.5 });
    // Ride IsPersonal is a v1.1 extension v4 does not define: stored, not answered.
    expect(Ride?.[0]).not.toHaveProperty('IsPersonal');
    expect(Rail?.[0]).toMatchObject({
      LegId: 5,
      TrainNumber: '9512',
      Seats: [{ SeatNumber: '44' }],
    });
    expect(Parking?.[0]).toMatchObject({ TotalRate: 30, VendorName: 'ParkCo' });
    expect(Travel?.[0]).toMatchObject({ DailyRate: 0.25, Vendor: 'FB' });
  });

  it('types booking and trip leaves and keeps list wrappers as the reference nests them', () => {
    const booking = (trip.Bookings as Json[])[0] as Json;
    expect(booking.PassengerCount).toBe(2);
    expect(booking.LastTicketDateUtc).toBe('2030-04-20T10:00:00.000+00:00');
    expect(booking.RailPayments).toMatchObject({
      RailPayment: [{ BaseFare: -0.5, TaxInvoice: false, IncludesVAT: false }],
    });
    expect(booking.Passengers).toMatchObject([
      {
        NameFirst: 'Ann',
        FrequentTravelerPrograms: { FrequentFlyer: [{ AirlineVendor: 'AZ' }] },
      },
      { NameFirst: 'Bob' },
    ]);
    expect(booking.PhoneNumbers).toEqual([{ PhoneNumber: '+39 06 1234' }]);
    expect(trip.IsPersonal).toBe(true);
    expect(trip.CustomAttributes).toMatchObject([{ Name: 'ProposalBatchSize', Data: '3' }]);
    expect(trip.UserLoginId).toBe(tenant.traveller.loginId);
  });

  it('answers the v1.1 extensions v4 defines (ItinSourceName) and not the others', async () => {
    const xml = tripXml({
      name: 'Sourced',
      extra: '<ItinSourceName>Agency</ItinSourceName>',
      bookings: [
        {
          locator: 'SRC001',
          extra: '<ItinSourceName>TravelSupplier</ItinSourceName>',
          segments: [
            {
              type: 'Hotel',
              start: dayAt(3),
              end: dayAt(4),
              extra: '<EndCityCode>ROM</EndCityCode>',
            },
          ],
        },
      ],
    });
    const created = await createTrip(context.app, token, xml, forTraveller());
    const response = await getTripV4(context.app, token, created.tripId);
    expect(response.statusCode, response.body).toBe(200);
    const sourced = response.json() as { ItinSourceName: string; Bookings: Json[] };
    expect(sourced.ItinSourceName).toBe('Agency');
    expect(sourced.Bookings[0]?.ItinSourceName).toBe('TravelSupplier');
    const hotel = (sourced.Bookings[0]?.Segments as { Hotel: Json[] } | undefined)?.Hotel[0];
    expect(hotel).toBeDefined();
    expect(hotel).not.toHaveProperty('EndCityCode');
  });

  it('shows a cancelled trip with TripStatus 2 and bookings with empty Segments', async () => {
    const cancelled = await cancelTrip(context.app, token, tripId, forTraveller());
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const response = await getTripV4(context.app, token, tripId);
    expect(response.statusCode, response.body).toBe(200);
    const after = response.json() as Json;
    expect(after.TripStatus).toBe(2);
    for (const booking of after.Bookings as Json[]) expect(booking.Segments).toEqual({});
  });
});
