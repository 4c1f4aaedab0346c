/**
 * Kysely's PostgreSQL dialect on a `pg` pool whose clients save round trips and server work:
 *
 * - A transaction's `begin` is sent with its first statement when that one takes no parameters
 *   (the write path's advisory lock, see `advisoryLockStatement`): one round trip instead of
 *   two, and one less wait for every write, whose traveller's lock is held from there to commit.
 * - Statements named in prepared-statements.ts are run as named prepared statements: parsed
 *   and planned once per connection rather than at every execution.
 */
import {
  type PostgresCursor,
  PostgresDialect,
  type PostgresPool,
  type PostgresPoolClient,
  type PostgresQueryResult,
} from 'kysely';
import pg from 'pg';
import { preparedName } from './prepared-statements.js';

/** What `begin`, `commit` and `rollback` answer when nothing needs to be sent. */
const NOTHING: PostgresQueryResult<never> = { command: 'SELECT', rowCount: 0, rows: [] };

/** The text Kysely sends to open a transaction with default settings. */
const BEGIN = 'begin';

/**
 * A pooled client that defers `begin` to the transaction's first statement (see above). The
 * transaction's outcome is the same: nothing runs between them, and a transaction that sent no
 * statement has nothing to commit or roll back.
 */
class DeferredBeginClient implements PostgresPoolClient {
  private beginPending = false;

  constructor(private readonly client: pg.PoolClient) {}

  query<R>(text: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(
    textOrCursor: string | PostgresCursor<R>,
    parameters: ReadonlyArray<unknown> = [],
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    // Kysely streams through a cursor only when the dialect is given one; ours is not.
    if (typeof textOrCursor !== 'string') throw new Error('no cursor is configured');
    return this.run<R>(textOrCursor, parameters);
  }

  private async run<R>(
    text: string,
    parameters: ReadonlyArray<unknown>,
  ): Promise<PostgresQueryResult<R>> {
    if (text === BEGIN) {
      this.beginPending = true;
      return NOTHING;
    }
    if (this.beginPending) {
      this.beginPending = false;
      if (text === 'commit' || text === 'rollback') return NOTHING;
      if (parameters.length === 0) {
        // The simple query protocol runs both statements in one message; pg answers each.
        return resultOf<R>(await this.client.query(`${BEGIN}; ${text}`));
      }
      await this.client.query(BEGIN);
    }
    const name = preparedName(text);
    const values = [...parameters];
    return resultOf<R>(
      await (name ? this.client.query({ name, text, values }) : this.client.query(text, values)),
    );
  }

  release(): void {
    this.beginPending = false;
    this.client.release();
  }
}

/** Kysely's view of pg's answer; of several statements (one simple query), the last one's. */
function resultOf<R>(answer: pg.QueryResult): PostgresQueryResult<R> {
  // pg answers a simple query of several statements with one result each (its types say one).
  const results = answer as pg.QueryResult | pg.QueryResult[];
  const result = Array.isArray(results) ? results[results.length - 1] : results;
  if (!result) return NOTHING;
  return {
    command: result.command as PostgresQueryResult<R>['command'],
    rowCount: result.rowCount ?? 0,
    rows: result.rows as R[],
  };
}

/** The Kysely dialect on `pool` (see the module comment). */
export function postgresDialect(pool: pg.Pool): PostgresDialect {
  const wrapped: PostgresPool = {
    connect: async () => new DeferredBeginClient(await pool.connect()),
    end: () => pool.end(),
  };
  return new PostgresDialect({ pool: wrapped });
}

/**
 * The statement that takes the transaction-scoped advisory lock of `key` (a writer's lock, see
 * `DatabaseHandle.write`). The key is a literal, not a parameter, so that the statement goes
 * with the transaction's `begin` in one round trip (`DeferredBeginClient`).
 */
export function advisoryLockStatement(key: string): string {
  return `select pg_advisory_xact_lock(hashtextextended(${pg.escapeLiteral(key)}, 0))`;
}
