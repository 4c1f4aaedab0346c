/**
 * SQLITE_SYNCHRONOUS (issue 16): SQLite syncs its WAL at every commit (`FULL`) unless told to
 * trade the last commits on an OS crash for speed (`normal`). The pragma is per connection, so it
 * is read back from the connection the app writes through.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { connectDatabase } from '../../src/db/connect.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-sync-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// SQLite's numbering: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA.
async function pragmasOf(
  env: NodeJS.ProcessEnv,
  bulk = false,
): Promise<{ synchronous: number; cacheSize: number; tempStore: number }> {
  const config = loadConfig({ ...env, DATABASE_URL: `sqlite:${path.join(dir, 'sync.db')}` });
  const handle = connectDatabase(config.database, { bulk });
  const read = async (name: string) => {
    const { rows } = await sql<Record<string, number>>`pragma ${sql.raw(name)}`.execute(handle.db);
    return Number(rows[0]?.[name]);
  };
  try {
    return {
      synchronous: await read('synchronous'),
      cacheSize: await read('cache_size'),
      tempStore: await read('temp_store'),
    };
  } finally {
    await handle.close();
  }
}

async function synchronousOf(env: NodeJS.ProcessEnv): Promise<number> {
  return (await pragmasOf(env)).synchronous;
}

describe('SQLITE_SYNCHRONOUS', () => {
  it('is FULL by default: a commit is acknowledged once it is on the disk', async () => {
    expect(loadConfig({}).database).toMatchObject({ synchronous: 'full' });
    expect(await synchronousOf({})).toBe(2);
    expect(await synchronousOf({ SQLITE_SYNCHRONOUS: 'full' })).toBe(2);
  });

  it('is NORMAL when set to normal', async () => {
    expect(await synchronousOf({ SQLITE_SYNCHRONOUS: 'normal' })).toBe(1);
  });

  it('is NORMAL, with a 1 GB cache and temporary storage in memory, for a bulk load only', async () => {
    // `itinera import` connects with `bulk`: a killed import loses no committed batch under
    // NORMAL in WAL mode (test/import/import-cli.test.ts kills one and resumes it).
    expect(await pragmasOf({}, true)).toEqual({
      synchronous: 1,
      cacheSize: -1024 * 1024,
      tempStore: 2,
    });
    expect(await pragmasOf({})).toEqual({ synchronous: 2, cacheSize: -65536, tempStore: 0 });
  });

  it('refuses other values, naming the accepted ones', () => {
    expect(() => loadConfig({ SQLITE_SYNCHRONOUS: 'off' })).toThrow(
      /SQLITE_SYNCHRONOUS.*full or normal/,
    );
  });

  it('leaves a PostgreSQL configuration alone', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@h/db', SQLITE_SYNCHRONOUS: 'normal' });
    expect(config.database).toEqual({ dialect: 'postgres', connectionString: 'postgres://u@h/db' });
  });
});
