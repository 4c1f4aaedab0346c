/**
 * The SQL texts PostgreSQL keeps prepared on each connection (named statements). An unnamed
 * statement is parsed, analysed and planned by the server at every execution; a named one once
 * per connection, then only bound and run. The statements compiled once (compiled-once.ts) are
 * fixed texts run on every write, and register here; postgres-driver.ts names them.
 */
import { createHash } from 'node:crypto';

/** Distinct texts named at most (each connection keeps one server-side statement per text). */
const MAX_NAMED = 1000;

const names = new Map<string, string>();

/**
 * Names `text` for preparing, unless its result columns are `*`: a statement prepared on
 * `select *` (or `returning *`) fails with "cached plan must not change result type" once a
 * migration adds a column to its table, as another instance's rolling upgrade may do under a
 * running one; an unnamed statement reads the new columns and carries on.
 */
export function prepareStatement(text: string): void {
  if (names.has(text) || names.size >= MAX_NAMED || text.includes('*')) return;
  // From the text alone: every process and connection gives one text the same name.
  const digest = createHash('sha1').update(text).digest('hex').slice(0, 20);
  names.set(text, `itinera_${digest}`);
}

/** The name `text` is prepared under, or undefined to run it unnamed. */
export function preparedName(text: string): string | undefined {
  return names.get(text);
}
