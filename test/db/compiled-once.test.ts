/**
 * `runCompiled`: a statement is compiled once per dialect and then bound with each call's
 * parameters, in the order the builder was given them, whatever order the SQL uses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCompiled } from '../../src/db/compiled-once.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { freshDatabase } from '../helpers/test-app.js';

let handle: Awaited<ReturnType<typeof freshDatabase>>;

beforeAll(async () => {
  handle = await freshDatabase();
  await migrateToLatest(handle.database.db, handle.database.dialect);
});
afterAll(() => handle.drop());

describe('runCompiled', () => {
  it('binds each call’s parameters into the statement compiled on first use', async () => {
    const { db } = handle.database;
    const insert = (id: string, region: string) =>
      runCompiled(
        db,
        'test-insert-company',
        // The builder takes (region, id) while the SQL lists id first.
        (db, [regionValue, idValue]) =>
          db.insertInto('companies').values({
            id: idValue as string,
            name: idValue as string,
            region: regionValue as string,
            created_at: 1,
          }),
        [region, id],
      );
    // created_at is a literal, not a placeholder: it would stay 1 for every call. Rejected.
    await expect(insert('c-1', 'us')).rejects.toThrow(/every parameter from a placeholder/);
    const rename = (id: string, name: string) =>
      runCompiled(
        db,
        'test-rename-company',
        (db, [nameValue, idValue]) =>
          db
            .updateTable('companies')
            .set({ name: nameValue as string })
            .where('id', '=', idValue as string)
            // A placeholder may stand for several parameters.
            .where('name', '<>', nameValue as string),
        [name, id],
      );
    await db
      .insertInto('companies')
      .values([
        { id: 'c-1', name: 'one', region: 'us', created_at: 1 },
        { id: 'c-2', name: 'two', region: 'us', created_at: 1 },
      ])
      .execute();
    expect(await rename('c-1', 'first')).toBe(1n);
    expect(await rename('c-2', 'second')).toBe(1n);
    expect(await rename('missing', 'none')).toBe(0n);
    expect(await rename('c-1', 'first')).toBe(0n);
    const rows = await db.selectFrom('companies').select(['id', 'name']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'c-1', name: 'first' },
      { id: 'c-2', name: 'second' },
    ]);
  });
});
