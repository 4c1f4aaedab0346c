import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDown, migrateToLatest } from '../../src/db/migrate.js';
import { freshDatabase } from '../helpers/test-app.js';

let handle: Awaited<ReturnType<typeof freshDatabase>>;

beforeAll(async () => {
  handle = await freshDatabase();
});
afterAll(() => handle.drop());

async function tableExists(name: string): Promise<boolean> {
  const { db } = handle.database;
  try {
    await sql`select 1 from ${sql.table(name)} limit 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}

async function columnExists(table: string, column: string): Promise<boolean> {
  const { db } = handle.database;
  try {
    await sql`select ${sql.ref(column)} from ${sql.table(table)} limit 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}

describe('migrations', () => {
  it('migrate up, down and up again on this dialect', async () => {
    const { db, dialect } = handle.database;
    const applied = await migrateToLatest(db, dialect);
    expect(applied[0]).toBe('2026-11-23T0900-initial');
    expect(applied).toEqual([...applied].sort());
    expect(await tableExists('trips')).toBe(true);
    expect(await tableExists('rate_limit_counters')).toBe(true);
    expect(await tableExists('authorization_codes')).toBe(true);
    expect(await columnExists('apps', 'redirect_uris')).toBe(true);
    expect(await migrateToLatest(db, dialect)).toEqual([]);
    // Every migration reverts, newest first, down to an empty schema.
    for (const name of [...applied].reverse()) {
      expect(await migrateDown(db, dialect)).toEqual([name]);
    }
    expect(await tableExists('trips')).toBe(false);
    expect(await tableExists('rate_limit_counters')).toBe(false);
    expect(await tableExists('authorization_codes')).toBe(false);
    expect(await migrateToLatest(db, dialect)).toEqual(applied);
    expect(await tableExists('bookings')).toBe(true);
    expect(await tableExists('rate_limit_counters')).toBe(true);
  });

  it('refuses a database that a newer version has migrated, changing nothing', async () => {
    const { db, dialect } = handle.database;
    await migrateToLatest(db, dialect);
    const newer = '2999-01-01T0000-from-the-future';
    await sql`insert into kysely_migration (name, timestamp) values (${newer}, ${new Date().toISOString()})`.execute(
      db,
    );
    try {
      await expect(migrateToLatest(db, dialect)).rejects.toThrow(
        `migrated by a newer version of Itinera (migrations this version does not know: ${newer})`,
      );
      expect(await tableExists('trips')).toBe(true);
    } finally {
      await sql`delete from kysely_migration where name = ${newer}`.execute(db);
    }
    expect(await migrateToLatest(db, dialect)).toEqual([]);
  });
});
