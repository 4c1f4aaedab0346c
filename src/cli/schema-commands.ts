/** `itinera migrate` and `itinera rollback`: the database schema. */
import { latestMigration, migrateDown, migrateToLatest } from '../db/migrate.js';
import type { CommandInput, ExitCode } from './command.js';
import { withDatabase } from './with-database.js';

/** Applies the pending migrations. */
export function migrate(): Promise<ExitCode> {
  return withDatabase(async ({ db, dialect }) => {
    const applied = await migrateToLatest(db, dialect);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
    return 0;
  });
}

/** Reverts the latest migration with `--yes`; without it, says what it would revert (exit 2). */
export function rollback(input: CommandInput): Promise<ExitCode> {
  return withDatabase(async ({ db, dialect }) => {
    if (!input.options.yes) {
      const latest = await latestMigration(db, dialect);
      if (!latest) {
        console.log('nothing to revert');
        return 0;
      }
      console.error(
        `rollback would revert the migration ${latest}, dropping what it added with its data.\n` +
          "Nothing was changed. Run 'itinera rollback --yes' to revert it " +
          "(back the database up first: 'itinera backup FILE' or pg_dump).",
      );
      return 2;
    }
    const reverted = await migrateDown(db, dialect);
    console.log(reverted.length ? `reverted: ${reverted.join(', ')}` : 'nothing to revert');
    return 0;
  });
}
