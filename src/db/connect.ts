/**
 * The only module that knows which database is running. It opens SQLite (embedded default,
 * better-sqlite3 in WAL mode) or PostgreSQL (`pg` pool) behind one Kysely instance.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, type SqliteDatabase, type Transaction } from 'kysely';
import { LRUCache } from 'lru-cache';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';
import { dbWriteDuration } from '../observability/metrics.js';
import type { Database } from './database.js';
import { postgresDialect } from './postgres-driver.js';
import { PostgresGroupCommit } from './postgres-group-commit.js';
import { startCheckpointer } from './sqlite-checkpointer.js';
import { ItineraSqliteDialect, useAsyncBusyHandling } from './sqlite-driver.js';
import { SqliteGroupCommit } from './sqlite-group-commit.js';
import type { WriteTurns } from './sqlite-write-turns.js';

export type Dialect = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: Dialect;
  /**
   * Runs a write unit of work in a transaction that serialises writes for `key` (a traveller),
   * and commits it. PostgreSQL takes a transaction-scoped advisory lock on the key, so several
   * Itinera processes agree; writes of one key that wait for each other in this process are
   * batched into one transaction (postgres-group-commit.ts). SQLite runs one write transaction
   * at a time anyway; writes that wait for each other are batched into one transaction (group
   * commit, each write in its own savepoint).
   */
  write<T>(key: string, work: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /** Closes every connection. */
  close(): Promise<void>;
}

// PostgreSQL returns int8 as strings; our int8 columns hold epoch milliseconds, well inside
// Number.MAX_SAFE_INTEGER, so they are parsed as numbers.
const INT8_OID = 20;
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

// Kysely prepares every query anew; preparing is a fifth of a small GET's time. Statements are
// kept by SQL text (bounded: `IN (…)` lists of varying length make distinct texts).
const STATEMENT_CACHE_SIZE = 500;

function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new LRUCache<string, SQLite.Statement>({ max: STATEMENT_CACHE_SIZE });
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      let statement = statements.get(text);
      if (!statement) {
        statement = sqlite.prepare(text);
        statements.set(text, statement);
      }
      return statement;
    },
  };
}

/**
 * Syncs a write-ahead log file to the disk (fdatasync, as SQLite syncs it), on libuv's thread
 * pool. Opened at the first sync, once a commit has written the file. The connection of this
 * process stays open, so SQLite never deletes the file under it (checkpoints may truncate it:
 * the same file). A sync that overlaps others is still one sync of everything written so far.
 */
function syncWriteAheadLog(file: string) {
  let handle: Promise<fs.promises.FileHandle> | undefined;
  return {
    async sync(): Promise<void> {
      handle ??= fs.promises.open(file, 'r').catch((error: unknown) => {
        handle = undefined;
        throw error;
      });
      await (await handle).datasync();
    },
    async close(): Promise<void> {
      if (handle) await (await handle).close();
    },
  };
}

/** Observes a write unit of work's time to its commit (or failure) in the write histogram. */
function timed<T>(write: Promise<T>): Promise<T> {
  const end = dbWriteDuration.startTimer();
  return write.finally(end);
}

export interface ConnectOptions {
  /** SQLite: how this process takes turns at writing with the other workers of its cluster. */
  writeTurns?: WriteTurns;
  /**
   * SQLite: settings for a bulk load (`itinera import`) on this connection only, see
   * `bulkLoadSettings`. PostgreSQL: no effect.
   */
  bulk?: boolean;
}

/** The page cache of a bulk load's connection: its indexes stay in memory as they grow. */
const BULK_CACHE_KIB = 1024 * 1024;
/** A bulk load's WAL may grow this far before the checkpointer empties it (see below). */
const BULK_WAL_LIMIT_BYTES = 1024 * 1024 * 1024;

/**
 * A bulk load writes large transactions one after another, and is resumable from its last
 * commit: it trades the server's settings for speed where that loses nothing it reported done.
 *
 * - `synchronous = NORMAL`: in WAL mode a commit is still written to the WAL before it returns,
 *   so a killed process (kill -9, a crash) loses nothing committed; only an OS crash or power
 *   loss may lose the last batches, which the import then runs again (its progress is in the
 *   same transactions). FULL would sync the WAL at every batch commit.
 * - A 1 GB page cache and temporary storage in memory: a million trips' indexes (random keys)
 *   are read back and changed at every batch; from the disk each insert would wait for them.
 * - The checkpointer empties the WAL only past 1 GB: emptying it (TRUNCATE) waits for the
 *   writer to step aside, which every 64 MB stopped the import over and over.
 */
function bulkLoadSettings(sqlite: SQLite.Database): void {
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma(`cache_size = -${BULK_CACHE_KIB}`);
  sqlite.pragma('temp_store = MEMORY');
}

/** Opens the configured database. Does not run migrations (see `migrate.ts`). */
export function connectDatabase(
  config: DatabaseConfig,
  options: ConnectOptions = {},
): DatabaseHandle {
  if (config.dialect === 'sqlite') {
    if (config.filename !== ':memory:') {
      fs.mkdirSync(path.dirname(config.filename), { recursive: true });
    }
    const sqlite = new SQLite(config.filename);
    sqlite.pragma('journal_mode = WAL');
    // FULL syncs the WAL at every commit: an acknowledged write survives an OS crash or power
    // loss. NORMAL syncs at checkpoints only, and may lose the last transactions then. DEFERRED:
    // SQLite commits as with NORMAL and the group commit syncs the WAL off the event loop before
    // it answers, as durable for acknowledged writes as FULL (SQLITE_SYNCHRONOUS).
    sqlite.pragma(
      `synchronous = ${config.synchronous === 'full' || config.synchronous === undefined ? 'FULL' : 'NORMAL'}`,
    );
    sqlite.pragma('foreign_keys = ON');
    // SQLite's default page cache is 2 MB; trips are ~10 KB each and their keys random, so a
    // bigger one keeps hot index pages in memory. It counts in each process's RSS, as does every
    // touched page of a memory map: both are settings (SQLITE_CACHE_MB, SQLITE_MMAP_MB), small by
    // default, and the OS page cache, shared by every worker, holds the rest of the file.
    sqlite.pragma(`cache_size = ${-1024 * (config.cacheMb ?? 16)}`);
    sqlite.pragma(`mmap_size = ${1024 * 1024 * (config.mmapMb ?? 0)}`);
    // Other processes (cluster workers, the CLI) may hold the write lock: wait for it without
    // blocking the event loop (see sqlite-driver.ts).
    useAsyncBusyHandling(sqlite);
    if (options.bulk) bulkLoadSettings(sqlite);
    const checkpointer =
      config.filename === ':memory:'
        ? undefined
        : startCheckpointer(
            config.filename,
            () => {
              // Without the worker, let SQLite checkpoint inside commits again.
              sqlite.pragma('wal_autocheckpoint = 1000');
            },
            options.bulk ? { walLimitBytes: BULK_WAL_LIMIT_BYTES } : {},
          );
    if (checkpointer) sqlite.pragma('wal_autocheckpoint = 0');
    const db = new Kysely<Database>({
      dialect: new ItineraSqliteDialect(withStatementCache(sqlite)),
    });
    const walSync =
      config.synchronous === 'deferred' && config.filename !== ':memory:'
        ? syncWriteAheadLog(`${config.filename}-wal`)
        : undefined;
    const groupCommit = new SqliteGroupCommit(db, options.writeTurns, walSync?.sync);
    return {
      db,
      dialect: 'sqlite',
      write: (_key, work) => timed(groupCommit.run(work)),
      close: async () => {
        await checkpointer?.stop();
        await db.destroy();
        await walSync?.close();
      },
    };
  }
  const pool = new pg.Pool({
    connectionString: config.connectionString,
    max: 10,
    types: pgTypes,
    ...(config.schema ? { options: `-c search_path=${config.schema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: postgresDialect(pool) });
  const groupCommit = new PostgresGroupCommit(db);
  return {
    db,
    dialect: 'postgres',
    write: (key, work) => timed(groupCommit.run(key, work)),
    close: () => db.destroy(),
  };
}
