/**
 * The one line `itinera serve` logs once it listens (pino, info, `itinera started`): the
 * version, the database (SQLite file, or PostgreSQL host:port and name, never the user's
 * password), the workers, the latest applied migration and where it listens. In a cluster the
 * primary logs it once, after its first workers listen.
 */
import pino from 'pino';
import type { Config, DatabaseConfig } from '../config.js';
import { connectDatabase } from '../db/connect.js';
import { latestMigration } from '../db/migrate.js';
import { packageManifest } from '../package-manifest.js';
import { postgresTarget } from './startup-errors.js';

/** What the start-up line says. */
export interface StartupReport {
  version: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; server: string; name: string };
  workers: number;
  migration: string | null;
  listening: string[];
  publicBaseUrl?: string;
}

/** The version of Itinera's package.json. */
export function packageVersion(): string {
  return packageManifest().version;
}

/** The database as the log may name it. */
export function describeDatabase(database: DatabaseConfig): StartupReport['database'] {
  if (database.dialect === 'sqlite') return { kind: 'sqlite', file: database.filename };
  const { where, db } = postgresTarget(database.connectionString);
  return { kind: 'postgres', server: where, name: db };
}

/** The URL a client on this machine reaches the listening socket at. */
function listeningUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Builds the report, reading the latest migration on a connection of its own. */
export async function startupReport(config: Readonly<Config>): Promise<StartupReport> {
  const handle = connectDatabase(config.database);
  let migration: string | undefined;
  try {
    migration = await latestMigration(handle.db, handle.dialect);
  } finally {
    await handle.close();
  }
  return {
    version: packageVersion(),
    database: describeDatabase(config.database),
    workers: config.workers,
    migration: migration ?? null,
    listening: [listeningUrl(config.host, config.port)],
    ...(config.publicBaseUrl ? { publicBaseUrl: config.publicBaseUrl } : {}),
  };
}

/**
 * Logs `itinera started` with the report, at info, to `log` (default: stdout at LOG_LEVEL).
 * Never throws: the server is already serving, and a report it cannot make must not stop it.
 */
export async function logStarted(
  config: Readonly<Config>,
  log: pino.Logger = pino({ level: config.logLevel }),
): Promise<void> {
  try {
    log.info(await startupReport(config), 'itinera started');
  } catch (error) {
    log.warn(
      { reason: error instanceof Error ? error.message : String(error) },
      'itinera started, but its start-up report failed',
    );
  }
}
