/**
 * Opens the configured database for one CLI command and closes it afterwards. A database that
 * cannot be opened or reached is reported with its location (never a password) rather than as
 * a bare driver error.
 */
import { loadConfig } from '../config.js';
import { type ConnectOptions, connectDatabase, type DatabaseHandle } from '../db/connect.js';
import { describeDatabase } from '../db/database-location.js';

// Driver codes that mean "the database is not there or not usable", as opposed to a failure of
// the command itself: file system errors, SQLite's, and PostgreSQL's connection and login ones.
const UNREACHABLE = new Set([
  'EACCES',
  'EPERM',
  'EROFS',
  'ENOENT',
  'ENOTDIR',
  'EISDIR',
  'SQLITE_CANTOPEN',
  'SQLITE_READONLY',
  'SQLITE_NOTADB',
  'SQLITE_PERM',
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  '28P01', // invalid password
  '28000', // no pg_hba.conf entry / invalid authorization
  '3D000', // database does not exist
]);

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Runs `work` with the configured database open (`options`: see `connectDatabase`). */
export async function withDatabase<T>(
  work: (handle: DatabaseHandle) => Promise<T>,
  options: ConnectOptions = {},
): Promise<T> {
  const config = loadConfig();
  const where = describeDatabase(config.database);
  const unusable = (error: unknown) =>
    new Error(
      `cannot use the database (${where}, from DATABASE_URL): ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  let handle: DatabaseHandle;
  try {
    handle = connectDatabase(config.database, options);
  } catch (error) {
    throw unusable(error);
  }
  try {
    return await work(handle);
  } catch (error) {
    throw UNREACHABLE.has(codeOf(error) ?? '') ? unusable(error) : error;
  } finally {
    await handle.close();
  }
}
