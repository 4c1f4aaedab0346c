/**
 * Statements compiled once per dialect. Building and compiling a Kysely query costs tens of
 * microseconds, many times what SQLite takes to run a small statement; statements on the write
 * path (run inside the write lock, where every microsecond is one no other writer can use) are
 * therefore compiled on first use and then only bound.
 */
import { type Compilable, CompiledQuery } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { Database, Executor } from './database.js';
import { prepareStatement } from './prepared-statements.js';

/** Builds a statement from placeholder values standing for its parameters, in order. */
export type StatementBuilder = (db: Executor, placeholders: readonly string[]) => Compilable;

interface Compiled {
  sql: string;
  /** For each parameter of the SQL, the index of the caller's parameter bound to it. */
  order: number[];
}

// Per database adapter (one per dialect in a process). Bounded: names that carry a count (rows
// of a multi-row INSERT) make a statement per count seen.
const STATEMENTS_PER_ADAPTER = 1000;
const compiled = new WeakMap<object, LRUCache<string, Compiled>>();

function compiledStatement(
  db: Executor,
  name: string,
  build: StatementBuilder,
  count: number,
): Compiled {
  const adapter = db.getExecutor().adapter;
  let statements = compiled.get(adapter);
  if (!statements) {
    statements = new LRUCache({ max: STATEMENTS_PER_ADAPTER });
    compiled.set(adapter, statements);
  }
  let statement = statements.get(name);
  if (!statement) {
    const placeholders = Array.from({ length: count }, (_, index) => `\u0000placeholder-${index}`);
    const query = build(db, placeholders).compile();
    const order = query.parameters.map((value) => placeholders.indexOf(value as string));
    // A parameter that is no placeholder would be bound to the first call's value forever.
    if (order.some((index) => index < 0) || new Set(order).size !== count) {
      throw new Error(`statement ${name} must take every parameter from a placeholder`);
    }
    statement = { sql: query.sql, order };
    statements.set(name, statement);
    // A fixed text run again and again: PostgreSQL keeps it prepared (prepared-statements.ts).
    prepareStatement(query.sql);
  }
  return statement;
}

function bound(statement: Compiled, parameters: readonly unknown[]): CompiledQuery {
  return CompiledQuery.raw(
    statement.sql,
    statement.order.map((index) => parameters[index]),
  );
}

/**
 * Runs the statement `name`, built by `build` from placeholder values on first use for this
 * dialect, with `parameters` bound in the order `build` was given them. `build` must use every
 * placeholder (once or more) and no other value as a parameter; `name` must tell apart every shape
 * of statement `build` can make (e.g. the length of an IN list). Returns the rows affected.
 */
export async function runCompiled(
  db: Executor,
  name: string,
  build: StatementBuilder,
  parameters: readonly unknown[],
): Promise<bigint | undefined> {
  const statement = compiledStatement(db, name, build, parameters.length);
  const result = await db.executeQuery(bound(statement, parameters));
  return result.numAffectedRows;
}

/** Like {@link runCompiled}, for a query: returns its rows (typed by the caller). */
export async function selectCompiled<Row>(
  db: Executor,
  name: string,
  build: StatementBuilder,
  parameters: readonly unknown[],
): Promise<Row[]> {
  const statement = compiledStatement(db, name, build, parameters.length);
  const result = await db.executeQuery<Row>(bound(statement, parameters));
  return result.rows;
}

/** The columns of `values` that are set (Kysely leaves undefined ones out too). */
function setColumns(values: object): [string, unknown][] {
  return Object.entries(values).filter(([, value]) => value !== undefined);
}

/**
 * `update <table> set <values> where id = <id>`, compiled once per set of columns. For the
 * write path's row updates, whose column sets are few.
 */
export async function updateRow(
  db: Executor,
  table: 'trips' | 'bookings',
  id: string,
  values: object,
): Promise<void> {
  const columns = setColumns(values);
  await runCompiled(
    db,
    `update-${table}:${columns.map(([column]) => column).join(',')}`,
    (db, placeholders) =>
      db
        .updateTable(table)
        .set(Object.fromEntries(columns.map(([column], i) => [column, placeholders[i]])) as never)
        .where('id', '=', placeholders[columns.length] as string),
    [...columns.map(([, value]) => value), id],
  );
}

/** `insert into <table> <row>`, compiled once per set of columns. */
export async function insertRow<T extends keyof Database>(
  db: Executor,
  table: T,
  row: object,
): Promise<void> {
  const columns = setColumns(row);
  await runCompiled(
    db,
    `insert-${table}:${columns.map(([column]) => column).join(',')}`,
    (db, placeholders) =>
      db
        .insertInto(table)
        .values(
          Object.fromEntries(columns.map(([column], i) => [column, placeholders[i]])) as never,
        ),
    columns.map(([, value]) => value),
  );
}
