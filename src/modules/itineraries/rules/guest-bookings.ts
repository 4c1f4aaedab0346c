/**
 * Guest bookings (docs/COMPATIBILITY.md, "Guest bookings"): a booking made for someone without
 * a profile (an arranger books a candidate's hotel) lands in the booker's itineraries. Concur
 * documents the mode and `includeGuestBookings`, not how a guest booking is told apart; Itinera
 * reads it from the passengers: a booking whose named passengers are all someone other than the
 * traveller is a guest booking. Pure functions; the writers store their results.
 */
import { createHash } from 'node:crypto';
import { leaf, list, type XmlNode } from '../../../xml/document.js';
import { foldedName, type PersonName, samePerson } from './traveller-names.js';

/** The names a traveller's profile holds (`users.first_name`, `users.last_name`). */
export interface ProfileNames {
  first_name: string | null;
  last_name: string | null;
}

/** A short, fixed-length key for a set of folded names: no names in clear in an index. */
function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/**
 * The passengers a booking names (`Passengers/Passenger`): `NameFirst` and `NameLast`, else the
 * GDS form `LAST/FIRST` of `TextName`.
 */
function passengersOf(booking: XmlNode): PersonName[] {
  return list(booking, 'Passengers')
    .filter((item) => item.element === 'Passenger')
    .map(({ node }) => {
      const last = leaf(node, 'NameLast');
      const text = leaf(node, 'TextName');
      if (last?.trim() || !text?.includes('/')) return { first: leaf(node, 'NameFirst'), last };
      const slash = text.indexOf('/');
      return { first: text.slice(slash + 1), last: text.slice(0, slash) };
    });
}

/**
 * The guest key of a booking for the traveller `owner`, or null when it is the traveller's own
 * booking (or cannot be told apart from one). A guest booking names passengers, each with a
 * last name, none of them the traveller; its key is the same for every booking naming the same
 * guests, however spelled. Null when the booking names no passenger, when one lacks a last
 * name, or when the traveller's profile lacks a first or last name.
 */
export function guestKeyOf(booking: XmlNode, owner: ProfileNames): string | null {
  const profile: PersonName = { first: owner.first_name, last: owner.last_name };
  if (!owner.first_name?.trim() || !owner.last_name?.trim()) return null;
  const passengers = passengersOf(booking);
  if (passengers.length === 0) return null;
  const names = new Set<string>();
  for (const passenger of passengers) {
    const name = foldedName(passenger);
    if (name === undefined || samePerson(profile, passenger)) return null;
    names.add(name);
  }
  return digest([...names].sort().join('\n'));
}

/**
 * The guest key of a trip: null unless every one of its bookings is a guest booking; then the
 * bookings' key when they share one, else one key for their set of keys (a trip for several
 * guests). A trip without bookings is the traveller's own.
 */
export function tripGuestKeyOf(bookings: readonly { guestKey: string | null }[]): string | null {
  if (bookings.length === 0) return null;
  const keys = new Set<string>();
  for (const booking of bookings) {
    if (booking.guestKey === null) return null;
    keys.add(booking.guestKey);
  }
  const [only] = keys;
  return keys.size === 1 && only !== undefined ? only : digest([...keys].sort().join('\n'));
}
