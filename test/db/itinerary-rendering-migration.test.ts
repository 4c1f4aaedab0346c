/**
 * `trips.rendering` now holds the content of a trip's `Itinerary` element without `id`; it held
 * the whole document (migration 2026-12-03T1100). A trip stored by the previous version must be
 * answered byte for byte as that version answered it. The literals below are what it stored for
 * a trip and what its details GET then answered (the trip id and base URL put back in).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itineraryRenderingContent } from '../../src/db/migrations/2026-12/2026-12-03T1100-itinerary-rendering-content.js';
import { buildTestApp, seedTenant, type TestContext, tokenFor } from '../helpers/test-app.js';
import { createTrip, getTrip, tripXml } from '../helpers/trip-requests.js';

const OLD_RENDERING =
  `<?xml version="1.0" encoding="utf-8"?>` +
  `<Itinerary xmlns="http://www.concursolutions.com/api/travel/trip/2010/06">` +
  `<TripId>@TRIP@</TripId><ItinLocator>@TRIP@</ItinLocator>` +
  `<BookedVia>Itinera Test</BookedVia><TripLinkLocator>N5HTJC</TripLinkLocator>` +
  `<Comments>Line one\nline two</Comments>` +
  `<DateCreatedUtc>2026-12-03T11:20:20</DateCreatedUtc>` +
  `<DateModifiedUtc>2026-12-03T11:20:20</DateModifiedUtc>` +
  `<EndDateLocal>2031-03-03T11:00:00</EndDateLocal>` +
  `<EndDateUtc>2031-03-03T10:00:00</EndDateUtc>` +
  `<StartDateLocal>2031-03-01T15:00:00</StartDateLocal>` +
  `<StartDateUtc>2031-03-01T14:00:00</StartDateUtc>` +
  `<TripName>Old &amp; stored &lt;rendering&gt;</TripName><TripStatus>0</TripStatus>` +
  `<Bookings><Booking><BookingOwner>ConcurConnectAPI</BookingOwner>` +
  `<BookingSource>Itinera Test</BookingSource>` +
  `<DateCreatedUtc>2026-12-03T11:20:20</DateCreatedUtc>` +
  `<DateModifiedUtc>2026-12-03T11:20:20</DateModifiedUtc>` +
  `<RecordLocator>OLD001</RecordLocator><Passengers><Passenger><NameFirst>Zoë</NameFirst>` +
  `<NameLast>O'Brien</NameLast></Passenger></Passengers><Segments><Hotel>` +
  `<ConfirmationNumber>H-1</ConfirmationNumber>` +
  `<DateCreatedUtc>2026-12-03T11:20:20</DateCreatedUtc>` +
  `<DateModifiedUtc>2026-12-03T11:20:20</DateModifiedUtc>` +
  `<EndDateLocal>2031-03-03T11:00:00</EndDateLocal>` +
  `<EndDateUtc>2031-03-03T10:00:00</EndDateUtc><Name>Hôtel "Le Grand"</Name>` +
  `<StartCityCode>PAR</StartCityCode><StartDateLocal>2031-03-01T15:00:00</StartDateLocal>` +
  `<StartDateUtc>2031-03-01T14:00:00</StartDateUtc></Hotel></Segments>` +
  `<Source>ConcurConnectAPI</Source></Booking></Bookings></Itinerary>`;

const OLD_ANSWER =
  `<?xml version="1.0" encoding="utf-8"?>` +
  `<Itinerary xmlns="http://www.concursolutions.com/api/travel/trip/2010/06">` +
  `<id>@BASE@/api/travel/trip/v1.1/@TRIP@</id><TripId>@TRIP@</TripId>` +
  `<ItinLocator>@TRIP@</ItinLocator><BookedVia>Itinera Test</BookedVia>` +
  `<TripLinkLocator>N5HTJC</TripLinkLocator><Comments>Line one\nline two</Comments>` +
  `<DateCreatedUtc>2026-12-03T11:20:20</DateCreatedUtc>` +
  `<DateModifiedUtc>2026-12-03T11:20:20</DateModifiedUtc>` +
  `<EndDateLocal>2031-03-03T11:00:00</EndDateLocal>` +
  `<EndDateUtc>2031-03-03T10:00:00</EndDateUtc>` +
  `<StartDateLocal>2031-03-01T15:00:00</StartDateLocal>` +
  `<StartDateUtc>2031-03-01T14:00:00</StartDateUtc>` +
  `<TripName>Old &amp; stored &lt;rendering&gt;</TripName><TripStatus>0</TripStatus>` +
  `<Bookings><Booking><BookingOwner>ConcurConnectAPI</BookingOwner>` +
  `<BookingSource>Itinera Test</BookingSource>` +
  `<DateCreatedUtc>2026-12-03T11:20:20</DateCreatedUtc>` +
  `<DateModifiedUtc>2026-12-03T11:20:20</DateModifiedUtc>` +
  `<RecordLocator>OLD001</RecordLocator><Passengers><Passenger><NameFirst>Zoë</NameFirst>` +
  `<NameLast>O'Brien</NameLast></Passenger></Passengers><Segments><Hotel>` +
  `<ConfirmationNumber>H-1</ConfirmationNumber>` +
  `<DateCreatedUtc>2026-12-03T11:20:20</DateCreatedUtc>` +
  `<DateModifiedUtc>2026-12-03T11:20:20</DateModifiedUtc>` +
  `<EndDateLocal>2031-03-03T11:00:00</EndDateLocal>` +
  `<EndDateUtc>2031-03-03T10:00:00</EndDateUtc><Name>Hôtel "Le Grand"</Name>` +
  `<StartCityCode>PAR</StartCityCode><StartDateLocal>2031-03-01T15:00:00</StartDateLocal>` +
  `<StartDateUtc>2031-03-01T14:00:00</StartDateUtc></Hotel></Segments>` +
  `<Source>ConcurConnectAPI</Source></Booking></Bookings></Itinerary>`;

let context: TestContext;
let token: string;

beforeAll(async () => {
  context = await buildTestApp();
  const tenant = await seedTenant(context);
  token = await tokenFor(context, tenant, tenant.traveller);
});
afterAll(() => context.close());

const BASE = 'http://localhost:80';
const fill = (template: string, tripId: string) =>
  template.replaceAll('@TRIP@', tripId).replaceAll('@BASE@', BASE);

async function storedRendering(tripId: string): Promise<string | null> {
  const row = await context.database.db
    .selectFrom('trips')
    .select('rendering')
    .where('id', '=', tripId)
    .executeTakeFirstOrThrow();
  return row.rendering;
}

async function storeRendering(tripId: string, rendering: string | null): Promise<void> {
  await context.database.db
    .updateTable('trips')
    .set({ rendering })
    .where('id', '=', tripId)
    .execute();
}

async function details(tripId: string): Promise<string> {
  const response = await getTrip(context.app, token, tripId);
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toBe('application/xml; charset=utf-8');
  return response.body;
}

const migration = itineraryRenderingContent();

describe('the rendering stored by the previous version', () => {
  it('is converted, then answered byte for byte as before, and converts back', async () => {
    const { tripId } = await createTrip(context.app, token, tripXml({ name: 'Old format' }));
    const old = fill(OLD_RENDERING, tripId);
    await storeRendering(tripId, old);
    await migration.up(context.database.db);
    const converted = await storedRendering(tripId);
    expect(converted?.startsWith(`<TripId>${tripId}</TripId>`)).toBe(true);
    expect(converted?.endsWith('</Bookings>')).toBe(true);
    expect(await details(tripId)).toBe(fill(OLD_ANSWER, tripId));
    // Running it again changes nothing; down restores the previous version's form.
    await migration.up(context.database.db);
    expect(await storedRendering(tripId)).toBe(converted);
    await migration.down(context.database.db);
    expect(await storedRendering(tripId)).toBe(old);
    await migration.up(context.database.db);
    expect(await details(tripId)).toBe(fill(OLD_ANSWER, tripId));
  });

  it('is cleared when it is not the exact old form, and then rendered from the documents', async () => {
    const { tripId } = await createTrip(context.app, token, tripXml({ name: 'Empty root' }));
    const fresh = await details(tripId);
    const emptyRoot = `${OLD_RENDERING.slice(0, OLD_RENDERING.indexOf('<TripId>') - 1)} />`;
    expect(emptyRoot).toMatch(/^<\?xml [^>]+\?><Itinerary xmlns="[^"]+" \/>$/);
    await storeRendering(tripId, emptyRoot);
    await migration.up(context.database.db);
    expect(await storedRendering(tripId)).toBeNull();
    expect(await details(tripId)).toBe(fresh);
  });

  it('leaves renderings in the new form, and trips without one, as they are', async () => {
    const { tripId } = await createTrip(context.app, token, tripXml({ name: 'New format' }));
    const current = await storedRendering(tripId);
    expect(current?.startsWith('<')).toBe(true);
    expect(current?.startsWith('<?xml')).toBe(false);
    const answer = await details(tripId);
    await migration.up(context.database.db);
    expect(await storedRendering(tripId)).toBe(current);
    expect(await details(tripId)).toBe(answer);
    await storeRendering(tripId, null);
    await migration.up(context.database.db);
    expect(await storedRendering(tripId)).toBeNull();
    expect(await details(tripId)).toBe(answer);
  });
});
