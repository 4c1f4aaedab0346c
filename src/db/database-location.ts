/**
 * Where the configured database is, said without its password: for messages (the CLI's errors)
 * and for the `pg_dump` command that backs PostgreSQL up (`itinera backup` copies SQLite only).
 */
import type { DatabaseConfig } from '../config.js';

/** A PostgreSQL URL's parts, password left out; undefined when it does not parse. */
function postgresParts(
  connectionString: string,
):
  | { host?: string; port?: string; user?: string; database?: string; sslmode?: string }
  | undefined {
  // WHATWG URLs refuse credentials without a host (`postgres://me@/db?host=/socket`), which
  // libpq accepts; parse those with a stand-in host, then ignore it.
  const noHost = /^postgres(?:ql)?:\/\/[^/?#]*@(?=[/?#]|$)/.exec(connectionString);
  let url: URL;
  try {
    url = new URL(
      noHost ? `${noHost[0]}stand-in${connectionString.slice(noHost[0].length)}` : connectionString,
    );
  } catch {
    return undefined;
  }
  const host = url.searchParams.get('host') ?? (noHost ? '' : decodeURIComponent(url.hostname));
  return {
    host: host.replace(/^\[(.*)\]$/, '$1') || undefined,
    port: url.port || undefined,
    user: decodeURIComponent(url.username) || undefined,
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined,
    sslmode: url.searchParams.get('sslmode') ?? undefined,
  };
}

/** `SQLite file /path/x.db` or `PostgreSQL user@host:port/db`: never the password. */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.dialect === 'sqlite') return `SQLite file ${config.filename}`;
  const parts = postgresParts(config.connectionString);
  if (!parts) return 'PostgreSQL (DATABASE_URL does not parse as a URL)';
  const user = parts.user ? `${parts.user}@` : '';
  const port = parts.port ? `:${parts.port}` : '';
  return `PostgreSQL ${user}${parts.host ?? 'localhost'}${port}/${parts.database ?? ''}`;
}

/** Quotes a word for a POSIX shell when it needs it. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The `pg_dump` command (custom format, restorable with `pg_restore`) that backs the database of
 * `connectionString` up into `file`. The password is left out: pg_dump asks for it, or reads
 * PGPASSWORD or ~/.pgpass.
 */
export function pgDumpCommand(connectionString: string, file: string, schema?: string): string {
  const parts = postgresParts(connectionString) ?? {};
  // pg_dump has no --sslmode option; libpq reads it from the environment.
  const words = parts.sslmode ? [`PGSSLMODE=${parts.sslmode}`, 'pg_dump'] : ['pg_dump'];
  words.push('--format=custom', `--file=${file}`);
  if (parts.host) words.push(`--host=${parts.host}`);
  if (parts.port) words.push(`--port=${parts.port}`);
  if (parts.user) words.push(`--username=${parts.user}`);
  if (schema) words.push(`--schema=${schema}`);
  words.push(`--dbname=${parts.database ?? 'DATABASE'}`);
  return words.map(shellWord).join(' ');
}
