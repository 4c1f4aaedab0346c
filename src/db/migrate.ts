/**
 * Runs the schema migrations (Kysely's migrator, with the migration list held in code so that
 * the same files serve both dialects and work from the TypeScript sources and a build alike).
 */
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { Dialect } from './connect.js';
import type { Database } from './database.js';
import { initial } from './migrations/2026-11-23T0900-initial.js';
import { oauthAuthorization } from './migrations/2026-11-23T1300-oauth-authorization.js';
import { rateLimits } from './migrations/2026-11-23T1310-rate-limits.js';
import { tmcAgencies } from './migrations/2026-11-23T1320-tmc-agencies.js';
import { bookingMerge } from './migrations/2026-11-23T1400-booking-merge.js';
import { notifications } from './migrations/2026-11-23T1500-notifications.js';
import { tripSpanBound } from './migrations/2026-11-23T1510-trip-span-bound.js';
import { itineraryRenderingContent } from './migrations/2026-12-03T1100-itinerary-rendering-content.js';
import type { MigrationContext } from './migrations/migration-context.js';

function migrations(context: MigrationContext): Record<string, Migration> {
  return {
    '2026-11-23T0900-initial': initial(context),
    '2026-11-23T1300-oauth-authorization': oauthAuthorization(context),
    '2026-11-23T1310-rate-limits': rateLimits(context),
    '2026-11-23T1320-tmc-agencies': tmcAgencies(),
    '2026-11-23T1400-booking-merge': bookingMerge(),
    '2026-11-23T1500-notifications': notifications(),
    '2026-11-23T1510-trip-span-bound': tripSpanBound(),
    '2026-12-03T1100-itinerary-rendering-content': itineraryRenderingContent(),
  };
}

class CodeMigrationProvider implements MigrationProvider {
  constructor(private readonly context: MigrationContext) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations(this.context);
  }
}

async function migrator(db: Kysely<Database>, dialect: Dialect): Promise<Migrator> {
  // Kysely looks for its bookkeeping tables by name in every schema unless told which one;
  // another schema's tables (other tenants of the database, parallel test runs) would then
  // be taken for ours. Name the schema the connection works in.
  const schema =
    dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]
          ?.schema
      : undefined;
  return new Migrator({
    db,
    provider: new CodeMigrationProvider({ dialect }),
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

/** Brings the schema up to date; throws (with the failing migration's name) on error. */
export async function migrateToLatest(db: Kysely<Database>, dialect: Dialect): Promise<string[]> {
  const { error, results } = await (await migrator(db, dialect)).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).map((r) => r.migrationName);
}

/** Reverts the most recent migration. */
export async function migrateDown(db: Kysely<Database>, dialect: Dialect): Promise<string[]> {
  const { error, results } = await (await migrator(db, dialect)).migrateDown();
  if (error) throw new Error(`Rollback failed: ${String(error)}`, { cause: error });
  return (results ?? []).map((r) => r.migrationName);
}

/** The name of the latest migration applied to the database; undefined when none is. */
export async function latestAppliedMigration(
  db: Kysely<Database>,
  dialect: Dialect,
): Promise<string | undefined> {
  const known = await (await migrator(db, dialect)).getMigrations();
  return known.filter((migration) => migration.executedAt !== undefined).at(-1)?.name;
}
