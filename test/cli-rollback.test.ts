/**
 * What `itinera rollback` without --yes names (`latestMigration`) is what `rollback --yes`
 * reverts (`migrateDown`), on both dialects; the CLI itself is spawned in test/cli.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestMigration, migrateDown, migrateToLatest } from '../src/db/migrate.js';
import { freshDatabase } from './helpers/test-app.js';

let fresh: Awaited<ReturnType<typeof freshDatabase>>;
beforeAll(async () => {
  fresh = await freshDatabase();
});
afterAll(() => fresh.drop());

describe('latestMigration', () => {
  it('names the migration that migrateDown reverts, and nothing on an empty schema', async () => {
    const { db, dialect } = fresh.database;
    expect(await latestMigration(db, dialect)).toBeUndefined();
    const applied = await migrateToLatest(db, dialect);
    expect(await latestMigration(db, dialect)).toBe(applied.at(-1));
    const named = await latestMigration(db, dialect);
    expect(await migrateDown(db, dialect)).toEqual([named]);
    expect(await latestMigration(db, dialect)).toBe(applied.at(-2));
    await migrateToLatest(db, dialect);
  });
});
