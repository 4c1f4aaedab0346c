/**
 * An example of the typed client: list the caller's trips as JSON, then read the first one's
 * details (XML). Run it against a server:
 *
 *   ITINERA_URL=http://localhost:8080 ITINERA_TOKEN=… npx tsx clients/typescript/example.ts
 */
import { pathToFileURL } from 'node:url';
import { createItineraClient } from './client.js';

export interface ExampleResult {
  tripIds: string[];
  /** The first trip's `<Itinerary>` document, when there is a trip. */
  firstTrip?: string;
}

/** Lists the trips the token sees and reads the first; throws Itinera's error when refused. */
export async function listAndReadTrips(baseUrl: string, token: string): Promise<ExampleResult> {
  const itinera = createItineraClient({ baseUrl, token });
  const list = await itinera.GET('/api/travel/trip/v1.1', {
    // Concur's parameter names are case-insensitive; the document spells them in lower case.
    params: { query: { itemsperpage: 10, page: 1 } },
    headers: { accept: 'application/json' },
  });
  if (list.error) throw new Error(`${list.error.error}: ${list.error.message}`);
  // Paged (Page was sent): `{ Metadata, Data }`; unpaged lists are a bare array.
  const trips = Array.isArray(list.data) ? list.data : (list.data?.Data ?? []);
  const tripIds = trips.map((trip) => trip.TripId);
  const first = tripIds[0];
  if (first === undefined) return { tripIds };
  const details = await itinera.GET('/api/travel/trip/v1.1/{tripId}', {
    params: { path: { tripId: first } },
    parseAs: 'text',
  });
  if (details.error) throw new Error(`${details.error.error}: ${details.error.message}`);
  return { tripIds, firstTrip: details.data };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { ITINERA_URL = 'http://localhost:8080', ITINERA_TOKEN = '' } = process.env;
  const result = await listAndReadTrips(ITINERA_URL, ITINERA_TOKEN);
  console.log(`${result.tripIds.length} trip(s): ${result.tripIds.join(', ')}`);
  if (result.firstTrip) console.log(result.firstTrip);
}
