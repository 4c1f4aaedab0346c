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
import { SqliteGroupCommit } from '../../src/db/sqlite-group-commit.js';

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

  it('is NORMAL when deferred: the group commit syncs the log instead', async () => {
    expect(await synchronousOf({ SQLITE_SYNCHRONOUS: 'deferred' })).toBe(1);
    const config = loadConfig({
      SQLITE_SYNCHRONOUS: 'deferred',
      DATABASE_URL: `sqlite:${path.join(dir, 'deferred.db')}`,
    });
    const handle = connectDatabase(config.database);
    try {
      await handle.write('k', (trx) => sql`create table kept (v integer)`.execute(trx));
      await handle.write('k', (trx) => sql`insert into kept values (1)`.execute(trx));
      const { rows } = await sql<{ n: number }>`select count(*) as n from kept`.execute(handle.db);
      expect(rows[0]?.n).toBe(1);
    } finally {
      await handle.close();
    }
  });

  it('is NORMAL, with a 1 GB cache and temporary storage in memory, for a bulk load only', async () => {
    // `itinera import` connects with `bulk`: a killed import loses no committed batch under
    // NORMAL in WAL mode (test/import/import-cli.test.ts kills one and resumes it).
    expect(await pragmasOf({}, true)).toEqual({
      synchronous: 1,
      cacheSize: -1024 * 1024,
      tempStore: 2,
    });
    expect(await pragmasOf({})).toEqual({ synchronous: 2, cacheSize: -16 * 1024, tempStore: 0 });
  });

  it('refuses other values, naming the accepted ones', () => {
    expect(() => loadConfig({ SQLITE_SYNCHRONOUS: 'off' })).toThrow(
      /SQLITE_SYNCHRONOUS.*full, deferred or normal/,
    );
  });

  it('leaves a PostgreSQL configuration alone', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@h/db', SQLITE_SYNCHRONOUS: 'normal' });
    expect(config.database).toEqual({ dialect: 'postgres', connectionString: 'postgres://u@h/db' });
  });
});

describe('SQLITE_CACHE_MB and SQLITE_MMAP_MB', () => {
  async function pragmasOf(env: NodeJS.ProcessEnv) {
    const config = loadConfig({ ...env, DATABASE_URL: `sqlite:${path.join(dir, 'memory.db')}` });
    const handle = connectDatabase(config.database);
    try {
      const cache = await sql<{ cache_size: number }>`pragma cache_size`.execute(handle.db);
      const mmap = await sql<{ mmap_size: number }>`pragma mmap_size`.execute(handle.db);
      return { cache: Number(cache.rows[0]?.cache_size), mmap: Number(mmap.rows[0]?.mmap_size) };
    } finally {
      await handle.close();
    }
  }

  it('keep SQLite small by default: a 16 MB page cache and no memory map', async () => {
    expect(await pragmasOf({})).toEqual({ cache: -16 * 1024, mmap: 0 });
  });

  it('take the sizes given', async () => {
    expect(await pragmasOf({ SQLITE_CACHE_MB: '64', SQLITE_MMAP_MB: '256' })).toEqual({
      cache: -64 * 1024,
      mmap: 256 * 1024 * 1024,
    });
    expect(() => loadConfig({ SQLITE_CACHE_MB: '0' })).toThrow(/SQLITE_CACHE_MB/);
  });
});

describe('a deferred sync', () => {
  it('answers a write only after the sync that follows its commit, and fails it with the sync', async () => {
    const handle = connectDatabase({
      dialect: 'sqlite',
      filename: path.join(dir, 'sync-order.db'),
    });
    try {
      await sql`create table t (v integer)`.execute(handle.db);
      let finishSync: (() => void) | undefined;
      let failSync = false;
      const syncs: string[] = [];
      const commits = new SqliteGroupCommit(handle.db, undefined, async () => {
        syncs.push('sync');
        if (failSync) throw new Error('disk gone');
        await new Promise<void>((resolve) => {
          finishSync = resolve;
        });
      });
      let answered = false;
      const write = commits
        .run((trx) => sql`insert into t values (1)`.execute(trx))
        .then(() => {
          answered = true;
        });
      await new Promise((resolve) => setTimeout(resolve, 50));
      // Committed (another reader sees it) but not answered until the sync is done.
      const { rows } = await sql<{ n: number }>`select count(*) as n from t`.execute(handle.db);
      expect(rows[0]?.n).toBe(1);
      expect(syncs).toEqual(['sync']);
      expect(answered).toBe(false);
      finishSync?.();
      await write;
      expect(answered).toBe(true);

      failSync = true;
      await expect(
        commits.run((trx) => sql`insert into t values (2)`.execute(trx)),
      ).rejects.toThrow(/disk gone/);
    } finally {
      await handle.close();
    }
  });
});
