/**
 * `itinera import`'s service (docs/IMPORT.md) on both dialects: the three input forms, refused
 * documents reported with their place and reason while the rest goes in, the booking merge of
 * the API (a booking into an existing trip), and a rerun that adds nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportService, openImportSource } from '../../src/modules/import/index.js';
import { wireItineraries } from '../../src/start/itinerary-wiring.js';
import {
  buildTestApp,
  seedTenant,
  type Tenant,
  type TestContext,
  testDialect,
} from '../helpers/test-app.js';
import { dayAt, simpleTrip, TRIP_NS } from '../helpers/trip-requests.js';

let context: TestContext;
let tenant: Tenant;
let service: ImportService;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-import-'));

function bookingXml(locator: string, fromDay: number, toDay: number): string {
  return (
    `<Booking xmlns="${TRIP_NS}"><RecordLocator>${locator}</RecordLocator>` +
    '<BookingSource>TestTMC</BookingSource><Segments><Car>' +
    `<StartDateLocal>${dayAt(fromDay)}</StartDateLocal><EndDateLocal>${dayAt(toDay)}</EndDateLocal>` +
    '</Car></Segments></Booking>'
  );
}

function runImport(input: string, extra: { defaultUser?: string; dryRun?: boolean } = {}) {
  return service.run({
    source: openImportSource(input),
    company: tenant.company,
    client: tenant.app.clientId,
    batchSize: 2,
    maxDocumentBytes: 1024 * 1024,
    baseUrl: 'http://localhost',
    ...extra,
  });
}

/** The trips of a user with how many bookings each holds. */
async function tripsOf(loginId: string): Promise<number[]> {
  const rows = await context.database.db
    .selectFrom('trips')
    .innerJoin('users', 'users.id', 'trips.owner_id')
    .leftJoin('bookings', 'bookings.trip_id', 'trips.id')
    .select(['trips.id', context.database.db.fn.count<number>('bookings.id').as('bookings')])
    .where('users.login_id', '=', loginId)
    .groupBy('trips.id')
    .execute();
  return rows.map((row) => Number(row.bookings)).sort();
}

describe('itinera import (service)', () => {
  beforeAll(async () => {
    context = await buildTestApp();
    tenant = await seedTenant(context);
    service = new ImportService(context.database, (handle) =>
      wireItineraries(handle, { notificationMaxAgeSeconds: 3600 }),
    );
  });
  afterAll(async () => {
    await context.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports a directory, merges a booking into its trip and reports a broken file', async () => {
    const root = path.join(dir, 'tree');
    const mine = path.join(root, tenant.traveller.loginId);
    fs.mkdirSync(mine, { recursive: true });
    fs.writeFileSync(path.join(mine, 'a-trip.xml'), simpleTrip('Dir trip', 10, 13, 'Air', 'DIRA1'));
    fs.writeFileSync(path.join(mine, 'b-booking.xml'), bookingXml('DIRB1', 11, 12));
    fs.writeFileSync(path.join(mine, 'c-broken.xml'), `<Itinerary xmlns="${TRIP_NS}"><TripName>`);
    fs.writeFileSync(path.join(mine, 'notes.txt'), 'not a document');

    const outcome = await runImport(root);
    expect(outcome).toMatchObject({ imported: 2, merged: 1, resumedAt: 0, alreadyDone: false });
    expect(outcome.rejected).toEqual([
      expect.objectContaining({
        position: 2,
        location: path.join(mine, 'c-broken.xml'),
        code: 'malformed_xml',
        reason: expect.stringContaining('not well-formed'),
      }),
    ]);
    expect(await tripsOf(tenant.traveller.loginId)).toEqual([2]);

    // Run again: the import is known and done; nothing is added.
    const again = await runImport(root);
    expect(again).toMatchObject({ alreadyDone: true, imported: 2, merged: 1 });
    expect(again.rejected).toHaveLength(1);
    expect(await tripsOf(tenant.traveller.loginId)).toEqual([2]);
  });

  it.runIf(testDialect() === 'postgres')(
    "folds PostgreSQL's trip day counts and refreshes its planner statistics when it ends",
    async () => {
      // How often each table was analyzed (analyze_count: autovacuum's runs are counted apart).
      const analyzed = () =>
        sql<{ relname: string; analyze_count: string }>`select relname, analyze_count
          from pg_stat_user_tables where schemaname = current_schema()
          and relname in ('trips', 'bookings', 'trip_day_counts') order by relname`
          .execute(context.database.db)
          .then((result) => result.rows.map((row) => [row.relname, Number(row.analyze_count)]));
      const before = await analyzed();
      expect(before).toHaveLength(3);
      const file = path.join(dir, 'analyze.ndjson');
      const line = {
        user: tenant.traveller.loginId,
        xml: simpleTrip('Stats', 40, 42, 'Air', 'ST1'),
      };
      fs.writeFileSync(file, `${JSON.stringify(line)}\n`);
      const dry = await runImport(file, { dryRun: true });
      expect(dry).toMatchObject({ imported: 1, rejected: [] });
      expect(await analyzed()).toEqual(before);

      // On PostgreSQL every trip write adds day-count rows of its own (+1, and −1 when a trip
      // leaves a key): a key with two such rows, as writes through the API leave them.
      const repeatedKeys = () =>
        sql<{ n: string }>`select count(*) as n from (select 1 from trip_day_counts
          group by company_id, edge, day, agency_id, status, guest having count(*) > 1) as r`
          .execute(context.database.db)
          .then((result) => Number(result.rows[0]?.n));
      for (const trips of [1, -1]) {
        await sql`insert into trip_day_counts
          (company_id, edge, day, agency_id, status, guest, trips)
          select id, 0, 1, '', 0, 0, ${trips} from companies where name = ${tenant.company}`.execute(
          context.database.db,
        );
      }
      expect(await repeatedKeys()).toBe(1);
      const outcome = await runImport(file);
      expect(outcome).toMatchObject({ imported: 1, rejected: [] });
      expect(await analyzed()).toEqual(before.map(([name, count]) => [name, Number(count) + 1]));
      expect(await repeatedKeys()).toBe(0);
    },
  );

  it('imports NDJSON lines for their users, refusing bad lines and unknown users by line', async () => {
    const file = path.join(dir, 'trips.ndjson');
    const lines = [
      { user: tenant.otherTraveller.loginId, xml: simpleTrip('Line 1', 30, 32, 'Hotel', 'ND1') },
      'this is not json',
      { user: 'nobody@example.com', xml: simpleTrip('Nobody', 30, 32, 'Car', 'ND3') },
      '',
      { user: tenant.otherTraveller.loginId, xml: bookingXml('ND5', 31, 31) },
      { xml: simpleTrip('Default user', 40, 41, 'Car', 'ND6') },
    ];
    fs.writeFileSync(
      file,
      `${lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n')}\n`,
    );
    const outcome = await runImport(file, { defaultUser: tenant.admin.loginId });
    expect(outcome).toMatchObject({ imported: 3, merged: 1 });
    expect(outcome.rejected.map((r) => [r.location, r.code])).toEqual([
      [`${file}:2`, 'bad_request'],
      [`${file}:3`, 'user_not_found'],
    ]);
    expect(await tripsOf(tenant.otherTraveller.loginId)).toEqual([2]);
    expect(await tripsOf(tenant.admin.loginId)).toEqual([1]);
  });

  it('imports an XML stream with Traveller groups; a dry run writes nothing', async () => {
    const file = path.join(dir, 'stream.xml');
    fs.writeFileSync(
      file,
      '<?xml version="1.0" encoding="UTF-8"?>\n<!-- export of 2 travellers -->\n<ItineraryImport>\n' +
        `<Traveller id="${tenant.traveller.loginId}">\n` +
        `${simpleTrip('Stream 1', 60, 62, 'Air', 'XS1').replace(/^<\?xml[^>]*>/, '')}\n` +
        `${bookingXml('XS2', 61, 61)}\n</Traveller>\n` +
        `<Booking xmlns="${TRIP_NS}"><RecordLocator>XS3</RecordLocator></Booking>\n` +
        '</ItineraryImport>\n',
    );
    const before = await tripsOf(tenant.traveller.loginId);
    const dry = await runImport(file, { dryRun: true });
    expect(dry).toMatchObject({ imported: 2, merged: 1 });
    expect(await tripsOf(tenant.traveller.loginId)).toEqual(before);

    const outcome = await runImport(file);
    expect(outcome).toMatchObject({ imported: 2, merged: 1 });
    expect(outcome.rejected).toEqual([
      expect.objectContaining({
        location: `${file}#3`,
        reason: 'The document names no traveller and no --user was given.',
      }),
    ]);
    expect(await tripsOf(tenant.traveller.loginId)).toEqual([...before, 2].sort());
  });

  it('rolls a failing batch back whole and resumes after the last commit', async () => {
    const file = path.join(dir, 'resume.ndjson');
    const docs = Array.from({ length: 7 }, (_, i) =>
      JSON.stringify({
        user: tenant.otherTraveller.loginId,
        xml: simpleTrip(`Resume ${i}`, 100 + i * 3, 101 + i * 3, 'Air', `RES${i}`),
      }),
    );
    fs.writeFileSync(file, `${docs.join('\n')}\n`);
    const before = (await tripsOf(tenant.otherTraveller.loginId)).length;
    // A crash (not a refusal) at the 6th document: its batch (documents 5 and 6) rolls back.
    let calls = 0;
    const crashing = new ImportService(context.database, (handle) => {
      const services = wireItineraries(handle, { notificationMaxAgeSeconds: 3600 });
      const create = services.trips.create.bind(services.trips);
      services.trips.create = (...args) => {
        calls++;
        if (calls === 6) throw new Error('power cut');
        return create(...args);
      };
      return services;
    });
    const request = {
      source: openImportSource(file),
      company: tenant.company,
      client: tenant.app.clientId,
      batchSize: 2,
      maxDocumentBytes: 1024 * 1024,
      baseUrl: 'http://localhost',
    };
    await expect(crashing.run(request)).rejects.toThrow('power cut');
    expect((await tripsOf(tenant.otherTraveller.loginId)).length).toBe(before + 4);

    const resumed = await service.run({ ...request, source: openImportSource(file) });
    expect(resumed).toMatchObject({ resumedAt: 4, imported: 7, rejected: [] });
    expect((await tripsOf(tenant.otherTraveller.loginId)).length).toBe(before + 7);
  });

  it('refuses an app not connected to the company before reading anything', async () => {
    await expect(
      service.run({
        source: openImportSource(path.join(dir, 'trips.ndjson')),
        company: tenant.company,
        client: 'no-such-app',
        batchSize: 10,
        maxDocumentBytes: 1024,
        baseUrl: 'http://localhost',
      }),
    ).rejects.toThrow(/No active app/);
  });
});
