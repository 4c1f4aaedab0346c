/**
 * The typed client (clients/typescript) against a real listening server: its example lists the
 * traveller's trips and reads one; writes send XML; errors come back typed as Itinera's JSON
 * error. And the committed client is the one the current routes generate (as `npm run
 * generate:check` says in CI).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createItineraClient, xmlBody } from '../../../clients/typescript/client.js';
import { listAndReadTrips } from '../../../clients/typescript/example.js';
import { clientSources } from '../../../scripts/generate-client.js';
import { useTestApp } from '../../helpers/app-fixture.js';
import type { TestContext } from '../../helpers/test-app.js';
import { createTrip, simpleTrip, tripXml } from '../../helpers/trip-requests.js';

let context: TestContext;
let token: string;
let baseUrl: string;
const tripIds: string[] = [];

useTestApp((given) => {
  ({ context, token } = given);
});
beforeAll(async () => {
  for (const name of ['Client trip one', 'Client trip two']) {
    tripIds.push((await createTrip(context.app, token, simpleTrip(name, 3, 5))).tripId);
  }
  baseUrl = await context.app.listen({ host: '127.0.0.1', port: 0 });
});

describe('the typed TypeScript client', () => {
  it('runs its example: lists the trips as JSON and reads the first one', async () => {
    const result = await listAndReadTrips(baseUrl, token);
    expect([...result.tripIds].sort()).toEqual([...tripIds].sort());
    expect(result.firstTrip).toMatch(/^<\?xml[^>]*>\s*<Itinerary /);
    expect(result.firstTrip).toContain(`<id>${baseUrl}/api/travel/trip/v1.1/${result.tripIds[0]}`);
  });

  it('posts an XML trip and gets typed JSON errors', async () => {
    const itinera = createItineraClient({ baseUrl, token });
    const created = await itinera.POST('/api/travel/trip/v1.1', {
      ...xmlBody(tripXml({ name: 'Posted by the client' })),
      parseAs: 'text',
    });
    expect(created.response.status, created.data).toBe(200);
    expect(created.data).toContain('<TripName>Posted by the client</TripName>');

    const missing = await itinera.GET('/api/travel/trip/v1.1/{tripId}', {
      params: { path: { tripId: 'no-such-trip' } },
      parseAs: 'text',
    });
    expect(missing.response.status).toBe(404);
    // parseAs applies to successes; errors are parsed as JSON, typed as the document says.
    expect(missing.error).toMatchObject({ error: 'trip_not_found' });

    const anonymous = createItineraClient({ baseUrl });
    const refused = await anonymous.GET('/users', {});
    expect(refused.response.status).toBe(401);
    expect(refused.error?.error).toBe('unauthorized');
  });

  it('is generated from the current routes (npm run generate)', async () => {
    const served = await context.app.inject({ method: 'GET', url: '/openapi.json' });
    for (const [file, source] of Object.entries(await clientSources(served.json()))) {
      expect(readFileSync(file, 'utf8') === source, `${file} is stale: npm run generate`).toBe(
        true,
      );
    }
  });
});
