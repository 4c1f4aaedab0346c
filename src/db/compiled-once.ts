/**
 * Statements compiled once per dialect. Building and compiling a Kysely query costs tens of
 * microseconds, many times what SQLite takes to run a small statement; statements on the write
 * path (run inside the write lock) are therefore compiled on first use and then only bound.
 */
import { type Compilable, CompiledQuery } from 'kysely';
import type { Executor } from './database.js';

const compiled = new WeakMap<object, Map<string, { sql: string; order: number[] }>>();

/**
 * Runs the statement `name`, built by `build` from placeholder values on first use for this
 * dialect, with `parameters` bound in the order `build` was given them. `build` must use each
 * placeholder exactly once and nothing else as a parameter.
 */
export async function runCompiled(
  db: Executor,
  name: string,
  build: (db: Executor, placeholders: readonly string[]) => Compilable,
  parameters: readonly unknown[],
): Promise<bigint | undefined> {
  const adapter = db.getExecutor().adapter;
  let statements = compiled.get(adapter);
  if (!statements) {
    statements = new Map();
    compiled.set(adapter, statements);
  }
  let statement = statements.get(name);
  if (!statement) {
    const placeholders = parameters.map((_, index) => `\u0000placeholder-${index}`);
    const query = build(db, placeholders).compile();
    const order = query.parameters.map((value) => placeholders.indexOf(value as string));
    if (order.length !== parameters.length || order.some((index) => index < 0)) {
      throw new Error(`statement ${name} does not use each placeholder once`);
    }
    statement = { sql: query.sql, order };
    statements.set(name, statement);
  }
  const bound = statement.order.map((index) => parameters[index]);
  const result = await db.executeQuery(CompiledQuery.raw(statement.sql, bound));
  return result.numAffectedRows;
}
