/**
 * POST /travel/v4/anonymizations (docs/ACCESS.md, "Deleting and anonymizing"): every trip of the
 * traveller loses the person (documents, bookings, stored renderings, list index, ticket index,
 * guest keys) and keeps its travel facts; the profile is anonymized; ItineraryAnonymized, a v1.1
 * UPDATE and the feed's `anonymized` are written; pending notifications that named the person
 * are gone; and neither the database (every text column of every table) nor the log holds the
 * traveller's names, e-mail, login id, loyalty or ticket numbers afterwards.
 */
import fs from 'node:fs';
import { type Kysely, sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { userToken } from '../../helpers/access-world.js';
import { useTestTenant } from '../../helpers/app-fixture.js';
import { placeBooking } from '../../helpers/booking-requests.js';
import { ticketedBooking } from '../../helpers/coupon-requests.js';
import { ESS_SCOPES, subscribeEss } from '../../helpers/ess-world.js';
import { LogCapture } from '../../helpers/log-capture.js';
import { rowsOfTrip, setPostbackUrl, subscribe } from '../../helpers/notification-world.js';
import { fixturePath } from '../../helpers/reference-files.js';
import { seedTenant, type Tenant, type TestContext } from '../../helpers/test-app.js';
import { auth, createTrip, getTrip, postTrip, simpleTrip } from '../../helpers/trip-requests.js';
import { getTripV4, v4Token } from '../../helpers/v4-requests.js';
import { brief, followFeed } from '../feed/feed-client.js';
import { anonymize, errorOf } from './erase-requests.js';

const FIRST = 'Gwendolyn';
const LAST = 'Featherstonehaugh';
const EMAIL = 'gwen.featherstonehaugh@mail.example';
const GUESTS = ['Ottoline', 'Quimby', 'Bartholomew', 'Xanthos'];
const LOYALTY = 'FFGWEN778899';
const PHONE = '+44 7700 900123';
const TICKET = '8675309123';

const capture = new LogCapture();
let context: TestContext;
let tenant: Tenant;
let company: string;
let admin: string;
let tripIds: string[];
let loginId: string;

useTestTenant(
  {
    config: { logLevel: 'debug' },
    build: { logStream: capture.stream },
    tenant: { scopes: ESS_SCOPES },
  },
  (given) => {
    ({ context, tenant } = given);
  },
);
beforeAll(async () => {
  loginId = tenant.traveller.loginId;
  await context.database.db
    .updateTable('users')
    .set({ first_name: FIRST, last_name: LAST, email: EMAIL })
    .where('login_id', '=', loginId)
    .execute();
  company = await v4Token(context, tenant.app, ESS_SCOPES.join(' '));
  admin = await userToken(context, tenant.app, tenant.admin);
  await setPostbackUrl(context, tenant.app.clientId, 'https://receiver.example/postback');
  await subscribe(context, admin);
  await subscribeEss(context, company, 'anonymize-test', 'https://receiver.example/ess');

  const forTraveller = { userid_type: 'login_id', userid_value: loginId };
  const rich = fs
    .readFileSync(fixturePath('rich-trip.xml'), 'utf8')
    .replace('Everything &amp; more &lt;test&gt;', `${FIRST}'s trip to Rome`)
    .replace('Line one', `Call ${FIRST} ${LAST} at ${EMAIL}`)
    .replace(
      '<NameFirst>Ann</NameFirst><NameLast>One</NameLast>',
      `<NameFirst>${GUESTS[0]}</NameFirst><NameLast>${GUESTS[1]}</NameLast>`,
    )
    .replace(
      '<NameFirst>Bob</NameFirst><NameLast>Two</NameLast>',
      `<NameFirst>${GUESTS[2]}</NameFirst><NameLast>${GUESTS[3]}</NameLast>`,
    )
    .replace('<FrequentFlyerNumber>123<', `<FrequentFlyerNumber>${LOYALTY}<`)
    .replace('+39 06 1234', PHONE);
  const first = await createTrip(context.app, company, rich, forTraveller);
  const ticketed = ticketedBooking(`TMC${tenant.app.clientId.slice(4)}`, 'GWEN01', TICKET)
    .replaceAll('Smith/John', `${LAST}/${FIRST}`)
    .replaceAll('<NameFirst>John</NameFirst>', `<NameFirst>${FIRST}</NameFirst>`)
    .replaceAll('<NameLast>Smith</NameLast>', `<NameLast>${LAST}</NameLast>`);
  const second = await placeBooking(context.app, company, ticketed, forTraveller);
  tripIds = [first.tripId, second.tripId];
  const tickets = await context.database.db.selectFrom('air_tickets').selectAll().execute();
  expect(tickets.map((t) => t.ticket_number).join()).toContain(TICKET);
});

/** Every row of every table, as text (each dialect's own table list). */
async function everyStoredText(): Promise<string> {
  const db = context.database.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  // PostgreSQL lists the tables of every schema (other test files', other runs'): this file's only.
  const current =
    context.database.dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]
          ?.schema
      : undefined;
  const tables = new Set(
    (await db.introspection.getTables())
      .filter((table) => current === undefined || table.schema === current)
      .map((table) => table.name),
  );
  expect(tables.has('trips') && tables.has('notifications')).toBe(true);
  const texts: string[] = [];
  for (const table of tables) {
    const rows = await db.selectFrom(table).selectAll().execute();
    texts.push(JSON.stringify(rows));
  }
  return texts.join('\n').toLowerCase();
}

const PERSONAL = () => [FIRST, LAST, EMAIL, loginId, LOYALTY, PHONE, TICKET, ...GUESTS];

describe('POST /travel/v4/anonymizations', () => {
  it('refuses travellers, and apps of an agency or a supplier, and writes nothing', async () => {
    const traveller = await userToken(context, tenant.app, tenant.traveller);
    expect(errorOf(await anonymize(context.app, traveller, { loginId }), 403)).toMatch(
      /administrator/,
    );
    errorOf(await anonymize(context.app, admin, { loginId, extra: 1 }), 400);
    errorOf(await anonymize(context.app, admin, {}), 400);
    const other = await seedTenant(context);
    const stranger = await v4Token(context, other.app);
    errorOf(await anonymize(context.app, stranger, { loginId }), 404);
    expect(await everyStoredText()).toContain(LAST.toLowerCase());
  });

  it('anonymizes the traveller and every trip, keeping the travel facts', async () => {
    const versions = async () =>
      (
        await context.database.db
          .selectFrom('trips')
          .select(['id', 'version'])
          .where('id', 'in', tripIds)
          .orderBy('id')
          .execute()
      ).map((row) => Number(row.version));
    const before = await versions();
    const feedStart = (await followFeed(context.app, company)).next;
    // The traveller's calendar feed, which the anonymization retires.
    const travellerToken = await userToken(context, tenant.app, tenant.traveller);
    const calendar = await context.app.inject({
      method: 'GET',
      url: '/calendar/v1/feed',
      headers: auth(travellerToken),
    });
    expect(calendar.statusCode, calendar.body).toBe(200);
    const calendarPath = new URL((calendar.json() as { url: string }).url).pathname;
    expect((await context.app.inject({ method: 'GET', url: calendarPath })).statusCode).toBe(200);

    const response = await anonymize(context.app, admin, { loginId: loginId.toUpperCase() });
    expect(response.statusCode, response.body).toBe(200);
    const result = response.json() as {
      userId: string;
      loginId: string;
      trips: number;
      bookings: number;
    };
    expect(result).toMatchObject({ trips: 2, bookings: 3 });
    expect(result.loginId).toBe(`${result.userId}@anonymized.invalid`);
    expect((await context.app.inject({ method: 'GET', url: calendarPath })).statusCode).toBe(404);
    const feedRows = await context.database.db
      .selectFrom('calendar_feeds')
      .select('user_id')
      .where('user_id', '=', result.userId)
      .execute();
    expect(feedRows).toEqual([]);

    const stored = await everyStoredText();
    const log = capture.text.toLowerCase();
    for (const value of PERSONAL()) {
      expect(stored.includes(value.toLowerCase()), `${value} stored`).toBe(false);
      expect(log.includes(value.toLowerCase()), `${value} logged`).toBe(false);
    }
    expect(capture.withMessage('traveller anonymized')).toHaveLength(1);

    expect(await versions()).toEqual(before.map((version) => version + 1));
    for (const tripId of tripIds) {
      const v4 = await getTripV4(context.app, company, tripId);
      expect(v4.statusCode, v4.body).toBe(200);
      expect(v4.body).toContain('Anonymized');
      const details = await getTrip(context.app, admin, tripId);
      expect(details.statusCode).toBe(200);
      expect(details.body).toContain('Traveller');
      for (const value of PERSONAL()) expect(details.body).not.toContain(value);
    }
    // The travel facts stay.
    const rich = await getTrip(context.app, admin, tripIds[0] as string);
    for (const fact of ['LIN', 'FCO', '333.75', 'Hotel Roma', 'RICH01', '2030-05-01T07:00:00']) {
      expect(rich.body).toContain(fact);
    }
    expect(await context.database.db.selectFrom('air_tickets').selectAll().execute()).toEqual([]);

    const feed = await followFeed(context.app, company, feedStart);
    expect(brief(feed.changes).sort()).toEqual(tripIds.map((id) => `${id} anonymized`).sort());
    for (const tripId of tripIds) {
      const rows = await rowsOfTrip(context, tripId);
      const ess = rows.filter((row) => row.channel === 'ess').map((row) => row.event_type);
      expect(ess.at(-1)).toBe('ItineraryAnonymized');
      const v1 = rows.filter((row) => row.channel === 'v1');
      expect(v1.map((row) => row.event_type)).toEqual(['UPDATE']);
      expect(v1[0]?.login_id).toBe(result.loginId);
    }

    // The old login id names nobody now: a second call is 404, and nobody signs in as them.
    errorOf(await anonymize(context.app, admin, { loginId }), 404);
    await expect(userToken(context, tenant.app, tenant.traveller)).rejects.toThrow();
    // Not even through the look-up cache of this process (it had the user from the posts above).
    const stale = await postTrip(context.app, company, simpleTrip('Too late', 3, 4), {
      userid_type: 'login_id',
      userid_value: loginId,
    });
    expect(stale.statusCode).toBe(404);
  });
});
