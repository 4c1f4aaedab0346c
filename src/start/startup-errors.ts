/**
 * Why `itinera serve` could not start, in one line an operator can act on: the SQLite file that
 * cannot be opened, the port already taken or needing privileges, the PostgreSQL server that
 * cannot be reached or refuses us. The line names the path, port or host:port (never the
 * database password) and says what to change.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config, DatabaseConfig } from '../config.js';

interface SystemError {
  code?: unknown;
  syscall?: unknown;
  errors?: unknown;
  message?: unknown;
}

function codeOf(error: unknown): string {
  const e = (error ?? {}) as SystemError & { cause?: unknown };
  if (typeof e.code === 'string') return e.code;
  // A failed migration wraps the driver's error (src/db/migrate.ts).
  if (e.cause !== undefined && e.cause !== error) return codeOf(e.cause);
  // Connecting to `localhost` tries ::1 and 127.0.0.1: Node reports both in an AggregateError.
  if (Array.isArray(e.errors) && e.errors.length > 0) return codeOf(e.errors[0]);
  return '';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Why a directory cannot hold the database, found by creating (and removing) a probe file. */
function directoryProblem(directory: string): string | undefined {
  if (!fs.existsSync(directory)) return 'the directory does not exist';
  const probe = path.join(directory, `.itinera-probe-${process.pid}`);
  try {
    fs.closeSync(fs.openSync(probe, 'wx'));
    fs.rmSync(probe, { force: true });
    return undefined;
  } catch (error) {
    return codeOf(error) === 'EROFS'
      ? 'the file system is read-only'
      : 'the directory is read-only';
  }
}

function sqliteProblem(error: unknown, filename: string): string | undefined {
  const code = codeOf(error);
  const directory = path.dirname(filename);
  const reasons: Record<string, string> = {
    EROFS: 'the file system is read-only',
    EACCES: 'the directory is read-only',
    EPERM: 'the directory cannot be created here',
    ENOTDIR: 'a part of the path is a file, not a directory',
    ENOSPC: 'the disk is full',
    SQLITE_FULL: 'the disk is full',
    SQLITE_NOTADB: 'the file is not an SQLite database',
    SQLITE_CORRUPT: 'the file is damaged',
  };
  let reason = reasons[code];
  if (code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_IOERR') {
    reason = directoryProblem(directory) ?? 'the file is read-only or locked by another program';
  }
  if (!reason) return undefined;
  const fix =
    code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT'
      ? 'restore it from a backup or set DATABASE_URL=sqlite:PATH to another file'
      : 'set DATABASE_URL=sqlite:PATH to a writable place or fix the permissions';
  return `cannot open the database file ${filename}: ${reason}; ${fix}`;
}

/** host:port, database and user of a PostgreSQL connection string, without its password. */
export function postgresTarget(connectionString: string): {
  where: string;
  user: string;
  db: string;
} {
  try {
    const url = new URL(connectionString);
    const db = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres';
    const host = url.hostname || url.searchParams.get('host') || 'localhost';
    return {
      where: `${host}:${url.port || '5432'}`,
      user: decodeURIComponent(url.username) || '(default user)',
      db,
    };
  } catch {
    return { where: 'the DATABASE_URL server', user: '(default user)', db: '(default)' };
  }
}

function postgresProblem(error: unknown, connectionString: string): string | undefined {
  const { where, user, db } = postgresTarget(connectionString);
  const unreachable: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host name lookup failed',
    ETIMEDOUT: 'timed out',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ECONNRESET: 'connection reset',
  };
  const code = codeOf(error);
  const reason = unreachable[code];
  if (reason) {
    return `cannot reach PostgreSQL at ${where} (${reason}); check the host and port in DATABASE_URL and that the server is running`;
  }
  switch (code) {
    case '28P01':
      return `PostgreSQL at ${where} refused user '${user}': wrong password; fix the password in DATABASE_URL`;
    case '28000':
      return `PostgreSQL at ${where} refused user '${user}' (${messageOf(error)}); fix the user in DATABASE_URL or the server's pg_hba.conf`;
    case '3D000':
      return `PostgreSQL at ${where} has no database '${db}'; create it (createdb ${db}) or fix DATABASE_URL`;
    case '42501':
      return `PostgreSQL user '${user}' may not create the tables in database '${db}' at ${where} (${messageOf(error)}); grant it CREATE on the schema or use the owner's account`;
    default:
      return undefined;
  }
}

function listenProblem(error: unknown, config: Readonly<Config>): string | undefined {
  const { port, host } = config;
  switch (codeOf(error)) {
    case 'EADDRINUSE':
      return `port ${port} is already in use on ${host}; stop the other process or set PORT`;
    case 'EACCES':
      return `port ${port} on ${host} needs privileges; set PORT to 1024 or above (behind a proxy) or allow node to bind it (setcap cap_net_bind_service=+ep)`;
    case 'EADDRNOTAVAIL':
      return `HOST ${host} is not an address of this machine; set HOST to one of its addresses or 0.0.0.0`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `HOST ${host} does not resolve; set HOST to an address of this machine or 0.0.0.0`;
    default:
      return undefined;
  }
}

function isListenError(error: unknown): boolean {
  const { syscall } = (error ?? {}) as SystemError;
  return syscall === 'listen' || syscall === 'bind' || codeOf(error) === 'EADDRINUSE';
}

function databaseProblem(error: unknown, database: DatabaseConfig): string | undefined {
  return database.dialect === 'sqlite'
    ? sqliteProblem(error, database.filename)
    : postgresProblem(error, database.connectionString);
}

/**
 * The one-line explanation of an error that stopped the start, or undefined when it is not one
 * of the known start-up problems (the caller then shows the error's own message).
 */
export function explainStartupError(error: unknown, config: Readonly<Config>): string | undefined {
  if (isListenError(error)) return listenProblem(error, config);
  return databaseProblem(error, config.database);
}

/**
 * The error to report for a failed start: the explanation as its message (the original as its
 * `cause`), followed by the original stack only at LOG_LEVEL debug or trace.
 */
export function startupFailure(error: unknown, config: Readonly<Config>): Error {
  const explained = explainStartupError(error, config) ?? messageOf(error);
  const verbose = config.logLevel === 'debug' || config.logLevel === 'trace';
  const stack = verbose && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  return new Error(`${explained}${stack}`, { cause: error });
}
