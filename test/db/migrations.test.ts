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

const ALL = ['2026-11-23T0900-initial', '2026-11-23T1300-oauth-authorization'];

describe('migrations', () => {
  it('migrate up, down and up again on this dialect', async () => {
    const { db, dialect } = handle.database;
    expect(await migrateToLatest(db, dialect)).toEqual(ALL);
    expect(await tableExists('trips')).toBe(true);
    expect(await tableExists('authorization_codes')).toBe(true);
    expect(await columnExists('apps', 'redirect_uris')).toBe(true);
    expect(await migrateToLatest(db, dialect)).toEqual([]);
    // Down one step at a time, newest first.
    expect(await migrateDown(db, dialect)).toEqual(['2026-11-23T1300-oauth-authorization']);
    expect(await tableExists('authorization_codes')).toBe(false);
    expect(await tableExists('auth_tokens')).toBe(false);
    expect(await columnExists('apps', 'redirect_uris')).toBe(false);
    expect(await tableExists('apps')).toBe(true);
    expect(await migrateDown(db, dialect)).toEqual(['2026-11-23T0900-initial']);
    expect(await tableExists('trips')).toBe(false);
    expect(await migrateToLatest(db, dialect)).toEqual(ALL);
    expect(await tableExists('bookings')).toBe(true);
  });
});
