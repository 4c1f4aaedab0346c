/**
 * A Kysely driver for better-sqlite3 made for several processes sharing one database file:
 *
 * - Write transactions start with `BEGIN IMMEDIATE`, taking the write lock up front. A plain
 *   `BEGIN` reads first and upgrades later, and two processes upgrading at once deadlock
 *   (SQLITE_BUSY at once, whatever the busy timeout).
 * - A busy database is waited for asynchronously. SQLite's own busy handler sleeps inside the
 *   call, which stops the whole event loop; here the connection is retried after a timer, and
 *   the process keeps serving other requests meanwhile.
 *
 * Otherwise it follows Kysely's own SqliteDriver: one connection, used by one query or
 * transaction at a time.
 */
import type SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  SqliteAdapter,
  type SqliteDatabase,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { dbBusyRetries } from '../observability/metrics.js';

/** How long a statement keeps retrying a busy database before it fails. */
const BUSY_GIVE_UP_MS = 10_000;

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT';
}

const BEGIN = 'begin immediate';

/**
 * Runs a statement that fails often and harmlessly (BEGIN while another process writes)
 * without capturing stack traces: building one per failed try was a tenth of a loaded
 * worker's time.
 */
function runWithoutStack(
  statement: ReturnType<SqliteDatabase['prepare']>,
  parameters: readonly unknown[],
): { changes: number | bigint; lastInsertRowid: number | bigint } {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return statement.run(parameters) as {
      changes: number | bigint;
      lastInsertRowid: number | bigint;
    };
  } finally {
    Error.stackTraceLimit = limit;
  }
}

class SqliteConnection implements DatabaseConnection {
  constructor(private readonly db: SqliteDatabase) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters } = compiledQuery;
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        const statement = this.db.prepare(sql);
        if (statement.reader) return { rows: statement.all(parameters) as R[] };
        const { changes, lastInsertRowid } =
          sql === BEGIN ? runWithoutStack(statement, parameters) : statement.run(parameters);
        return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
      } catch (error) {
        if (!isBusy(error) || Date.now() - started > BUSY_GIVE_UP_MS) throw error;
        dbBusyRetries.inc();
        // Another process holds the write lock, for a fraction of a millisecond: retry on the
        // next turns of the event loop, then every millisecond, never blocking the loop.
        // (Growing pauses left this process idle while the other took the lock again; its own
        // writes meanwhile queue up and then share one transaction, sqlite-group-commit.ts.)
        await new Promise((resolve) =>
          attempt < 50 ? setImmediate(resolve) : setTimeout(resolve, 1),
        );
      }
    }
  }

  // biome-ignore lint/correctness/useYield: streaming is not used by Itinera
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming queries are not supported');
  }
}

class SqliteDriver implements Driver {
  private readonly connection: SqliteConnection;
  private queue: Promise<void> = Promise.resolve();
  private release: (() => void) | undefined;

  constructor(private readonly db: SqliteDatabase) {
    this.connection = new SqliteConnection(db);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    // One connection: each user waits for the previous one to release it.
    const previous = this.queue;
    let release!: () => void;
    this.queue = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    this.release = release;
    return this.connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(BEGIN));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    const release = this.release;
    this.release = undefined;
    release?.();
  }

  async destroy(): Promise<void> {
    this.db.close();
  }
}

/** The SQLite dialect of Itinera: Kysely's compiler and adapter, our driver. */
export class ItineraSqliteDialect implements Dialect {
  constructor(private readonly db: SqliteDatabase) {}

  createDriver(): Driver {
    return new SqliteDriver(this.db);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }

  // biome-ignore lint/suspicious/noExplicitAny: Kysely's own signature
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

/** Disables SQLite's sleeping busy handler: the driver above waits without blocking instead. */
export function useAsyncBusyHandling(sqlite: SQLite.Database): void {
  sqlite.pragma('busy_timeout = 0');
}
