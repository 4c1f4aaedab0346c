/**
 * The TripIt objects with a single time span (SPEC §2.2), one per segment under TripIt API v1's
 * documented names: Lodging, Car, Restaurant, Parking, Activity. The shared pieces are in
 * `tripit-objects.ts`.
 */
import type { XmlNode } from '../../../xml/document.js';
import { xmlFields } from '../../../xml/output/xml-output.js';
import {
  address,
  type Builder,
  codes,
  dateTime,
  firstPerson,
  header,
  nodes,
  optional,
  passengerList,
  person,
  pick,
  repeated,
  startEnd,
  supplierOf,
} from './tripit-objects.js';

/** Hotel → `LodgingObject`, one per stay. */
export const lodging: Builder = (booking, [hotel = {}], context) => [
  xmlFields({
    // The hotel's own name before the chain's: that is what TripIt shows as the supplier.
    ...header(booking, hotel, context, supplierOf([hotel], 'Name', 'VendorName', 'Vendor')),
    ...startEnd(hotel),
    ...optional('Address', address(hotel, 'Start', ['StartCityCode'])),
  }),
  ...passengerList(booking).map((p) => repeated('Guest', person(p))),
  xmlFields({
    number_guests: pick(hotel, 'NumPersons'),
    number_rooms: pick(hotel, 'NumRooms'),
    room_type: pick(hotel, 'RoomType', 'RoomDescription'),
  }),
];

/** ACRISS letters as ITIN's "CarBooking Elements" documents them (SPEC §7.6). */
const CAR_CLASSES = codes(
  'C=Compact;E=Economy;F=Full size;I=Intermediate;L=Luxury;M=Mini;P=Premium;S=Standard;X=Special',
);
const CAR_BODIES = codes(
  'B=2-door;D=4-door;F=4WD;J=All-terrain;K=Truck;L=Limousine;P=Pick-up;R=Recreational;S=Sport;' +
    'T=Convertible;V=Van;W=Wagon/Estate;X=Special',
);

function carType(car: XmlNode): string {
  const carClass = pick(car, 'Class');
  const body = pick(car, 'Body');
  return [CAR_CLASSES[carClass] ?? carClass, CAR_BODIES[body] ?? ''].filter(Boolean).join(' ');
}

/** From the car's `RateWithAllowance` charge: `Unlimited`, or the allowance and its excess rate. */
function mileageCharges(car: XmlNode): string {
  const rate = nodes(car, 'Charges', 'RateWithAllowance')[0];
  if (pick(rate, 'AllowanceIsUnlimited') === 'true') return 'Unlimited';
  // Concur's 4-decimal amounts ('250.0000') read oddly in a sentence.
  const [units, excess] = ['AllowanceNumUnits', 'AllowanceAmount'].map((name) =>
    pick(rate, name)
      .replace(/(\.\d*?)0+$/, '$1')
      .replace(/\.$/, ''),
  );
  if (!units) return '';
  const unit = pick(rate, 'AllowanceUnit') || 'units';
  const extra = excess ? `, then ${excess} ${pick(rate, 'Currency')} per ${unit}` : '';
  return `${units} ${unit} included${extra}`;
}

/** Car → `CarObject`, one per rental; the first passenger drives. */
export const car: Builder = (booking, [rental = {}], context) => [
  xmlFields({
    ...header(booking, rental, context, supplierOf([rental], 'VendorName', 'Vendor')),
    ...startEnd(rental),
    ...optional(
      'StartLocationAddress',
      address(rental, 'Start', ['StartLocation', 'StartCityCode']),
    ),
    start_location_name: pick(rental, 'StartLocation', 'StartCityCode'),
    ...optional('EndLocationAddress', address(rental, 'End', ['EndLocation', 'EndCityCode'])),
    end_location_name: pick(rental, 'EndLocation', 'EndCityCode'),
    ...optional('Driver', firstPerson(booking)),
    car_type: carType(rental),
    mileage_charges: mileageCharges(rental),
  }),
];

/** Dining → `RestaurantObject`, one per reservation. */
export const restaurant: Builder = (booking, [dining = {}], context) => [
  xmlFields({
    ...header(booking, dining, context, supplierOf([dining], 'VendorName', 'Vendor')),
    ...optional('DateTime', dateTime(dining, 'StartDateLocal')),
    ...optional('Address', address(dining, 'Start', [])),
    ...optional('ReservationHolder', firstPerson(booking)),
    number_patrons: pick(dining, 'NumPersons'),
    restaurant_name: pick(dining, 'Name', 'VendorName'),
  }),
];

/** Parking and Event: a place and a time span. */
function place(locationNames: string[]): Builder {
  return (booking, [segment = {}], context) => [
    xmlFields({
      ...header(booking, segment, context, supplierOf([segment], 'VendorName', 'Vendor')),
      ...startEnd(segment),
      ...optional('Address', address(segment, 'Start', ['StartLocation', 'StartCityCode'])),
      location_name: pick(segment, ...locationNames),
    }),
  ];
}

/** Parking → `ParkingObject`, one per reservation. */
export const parking = place(['Name', 'StartLocation']);

/** Event → `ActivityObject`, one per event. */
export const activity = place(['Name']);
