/**
 * Runs the schema migrations (Kysely's migrator, with the migration list held in code so that
 * the same files serve both dialects and work from the TypeScript sources and a build alike).
 */
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { Dialect } from './connect.js';
import type { Database } from './database.js';
import { initial } from './migrations/2026-11/2026-11-23T0900-initial.js';
import { oauthAuthorization } from './migrations/2026-11/2026-11-23T1300-oauth-authorization.js';
import { rateLimits } from './migrations/2026-11/2026-11-23T1310-rate-limits.js';
import { tmcAgencies } from './migrations/2026-11/2026-11-23T1320-tmc-agencies.js';
import { bookingMerge } from './migrations/2026-11/2026-11-23T1400-booking-merge.js';
import { notifications } from './migrations/2026-11/2026-11-23T1500-notifications.js';
import { tripSpanBound } from './migrations/2026-11/2026-11-23T1510-trip-span-bound.js';
import { itineraryRenderingContent } from './migrations/2026-12/2026-12-03T1100-itinerary-rendering-content.js';
import { signInFailures } from './migrations/2026-12/2026-12-03T1500-sign-in-failures.js';
import { renderingWithoutExtensions } from './migrations/2026-12/2026-12-03T1600-rendering-without-extensions.js';
import { guestBookings } from './migrations/2026-12/2026-12-04T0900-guest-bookings.js';
import { net2AuthorizationCodes } from './migrations/2026-12/2026-12-04T0910-net2-authorization-codes.js';
import { airTickets } from './migrations/2026-12/2026-12-04T0920-air-tickets.js';
import { retries } from './migrations/2026-12/2026-12-04T1010-retries.js';
import { eventSubscriptions } from './migrations/2026-12/2026-12-04T1020-event-subscriptions.js';
import { tripChangeFeed } from './migrations/2026-12/2026-12-04T1030-trip-change-feed.js';
import { calendarFeeds } from './migrations/2026-12/2026-12-04T1220-calendar-feeds.js';
import { expenseReadiness } from './migrations/2026-12/2026-12-04T1225-expense-readiness.js';
import { imports } from './migrations/2026-12/2026-12-04T1240-imports.js';
import { listIndexAgency } from './migrations/2026-12/2026-12-04T1600-list-index-agency.js';
import { usersVersion } from './migrations/2026-12/2026-12-04T2200-users-version.js';
import { tripDayCounts } from './migrations/2026-12-05/2026-12-05T1200-trip-day-counts.js';
import { tripSpanBoundTriggers } from './migrations/2026-12-05/2026-12-05T1600-trip-span-bound-triggers.js';
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
    '2026-12-03T1500-sign-in-failures': signInFailures(),
    '2026-12-03T1600-rendering-without-extensions': renderingWithoutExtensions(),
    '2026-12-04T0900-guest-bookings': guestBookings(),
    '2026-12-04T0910-net2-authorization-codes': net2AuthorizationCodes(),
    '2026-12-04T0920-air-tickets': airTickets(),
    '2026-12-04T1010-retries': retries(),
    '2026-12-04T1020-event-subscriptions': eventSubscriptions(),
    '2026-12-04T1030-trip-change-feed': tripChangeFeed(context),
    '2026-12-04T1220-calendar-feeds': calendarFeeds(),
    '2026-12-04T1225-expense-readiness': expenseReadiness(),
    '2026-12-04T1240-imports': imports(),
    '2026-12-04T1600-list-index-agency': listIndexAgency(),
    '2026-12-04T2200-users-version': usersVersion(context),
    '2026-12-05T1200-trip-day-counts': tripDayCounts(context),
    '2026-12-05T1600-trip-span-bound-triggers': tripSpanBoundTriggers(context),
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

/** The names of the migrations the database has applied, oldest first; none before the first. */
async function appliedMigrationNames(db: Kysely<Database>): Promise<string[]> {
  try {
    const { rows } = await sql<{
      name: string;
    }>`select name from kysely_migration order by name`.execute(db);
    return rows.map((row) => row.name);
  } catch {
    return []; // no bookkeeping table yet: a new database
  }
}

/**
 * Refuses a database that a newer Itinera has migrated: this version cannot know what its
 * later migrations changed, and running over them could corrupt data (Kysely would only say
 * "corrupted migrations").
 */
async function refuseNewerSchema(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  const known = new Set(Object.keys(migrations({ dialect })));
  const unknown = (await appliedMigrationNames(db)).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new Error(
      `The database was migrated by a newer version of Itinera (migrations this version does ` +
        `not know: ${unknown.join(', ')}). Run that newer version, or restore the backup taken ` +
        'before the upgrade (docs/OPERATIONS.md, "Upgrading").',
    );
  }
}

/** PostgreSQL's `invalid_schema_name`. */
const INVALID_SCHEMA_NAME = '3F000';

function isCatalogRace(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === INVALID_SCHEMA_NAME
  );
}

/**
 * Runs a step of the migrator again when another schema of the database vanished under it.
 * Kysely finds its bookkeeping tables by introspecting every schema's catalog, and PostgreSQL
 * fails that scan with "schema … does not exist" when another tenant (or a parallel test run)
 * drops its schema meanwhile. Nothing was written when it fails there (the migrations run later,
 * in their own transaction), so trying again is safe; a few tries outlast any such drop.
 */
async function outlastingCatalogRaces<T extends { error?: unknown }>(
  step: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await step();
    if (attempt >= 5 || !isCatalogRace(outcome.error)) return outcome;
    await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
  }
}

/** Brings the schema up to date; throws (with the failing migration's name) on error. */
export async function migrateToLatest(db: Kysely<Database>, dialect: Dialect): Promise<string[]> {
  await refuseNewerSchema(db, dialect);
  const runner = await migrator(db, dialect);
  const { error, results } = await outlastingCatalogRaces(() => runner.migrateToLatest());
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

/** The name of the most recently applied migration (what `migrateDown` would revert), if any. */
export async function latestMigration(
  db: Kysely<Database>,
  dialect: Dialect,
): Promise<string | undefined> {
  const migrations = await (await migrator(db, dialect)).getMigrations();
  return migrations.filter((migration) => migration.executedAt !== undefined).at(-1)?.name;
}

/** Where the schema stands against the migrations in the code. */
export interface MigrationStatus {
  /** The most recent migration applied to the database; null before the first. */
  latestApplied: string | null;
  /** Migrations in the code not yet applied, oldest first. */
  pending: string[];
  /** Migrations applied by a newer Itinera, which this code does not know. */
  unknown: string[];
}

/** Reads which migrations are applied (without applying any). */
export async function migrationStatus(
  db: Kysely<Database>,
  dialect: Dialect,
): Promise<MigrationStatus> {
  const all = await (await migrator(db, dialect)).getMigrations();
  const applied = all.filter((m) => m.executedAt !== undefined);
  const known = new Set(all.map((m) => m.name));
  return {
    latestApplied: applied.at(-1)?.name ?? null,
    pending: all.filter((m) => m.executedAt === undefined).map((m) => m.name),
    unknown: (await appliedMigrationNames(db)).filter((name) => !known.has(name)),
  };
}
