/**
 * `DatabaseHandle.write`: every write is all-or-nothing and answered after its commit, also
 * when SQLite batches waiting writes into one transaction (group commit).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { freshDatabase, testDialect } from '../helpers/test-app.js';

const fifo = testDialect() === 'sqlite';

let handle: Awaited<ReturnType<typeof freshDatabase>>;
let other: DatabaseHandle;

beforeAll(async () => {
  handle = await freshDatabase();
  await migrateToLatest(handle.database.db, handle.database.dialect);
  // A second connection, as another process has, to see only what was committed.
  other = handle.connectAgain();
});
afterAll(async () => {
  await other.close();
  await handle.drop();
});

const company = (name: string) => ({ id: name, name, region: 'us', created_at: 1 });

async function committed(names: string[]): Promise<string[]> {
  const rows = await other.db
    .selectFrom('companies')
    .select('name')
    .where('name', 'in', names)
    .orderBy('name')
    .execute();
  return rows.map((r) => r.name);
}

describe('database writes', () => {
  it('commit every one of many concurrent writes, in order, before answering', async () => {
    const { database } = handle;
    const order: number[] = [];
    const names = Array.from({ length: 40 }, (_, i) => `batch-${String(i).padStart(2, '0')}`);
    const results = await Promise.all(
      names.map((name, i) =>
        database.write('key', async (trx) => {
          order.push(i);
          await trx.insertInto('companies').values(company(name)).execute();
          // Answered after the commit: another connection already sees it.
          return i;
        }),
      ),
    );
    expect(results).toEqual(names.map((_, i) => i));
    // SQLite runs queued writes first come, first served; PostgreSQL's advisory lock
    // serialises them in whatever order the pool's connections get there.
    const expected = names.map((_, i) => i);
    expect(fifo ? order : [...order].sort((a, b) => a - b)).toEqual(expected);
    expect(await committed(names)).toEqual(names);
  });

  it('undo a failing write alone, and tell only its caller', async () => {
    const { database } = handle;
    const outcomes = await Promise.allSettled(
      ['keep-1', 'fail-2', 'keep-3'].map((name) =>
        database.write('key', async (trx) => {
          await trx.insertInto('companies').values(company(name)).execute();
          if (name.startsWith('fail')) throw new Error(`${name} refused`);
          return name;
        }),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toEqual(new Error('fail-2 refused'));
    expect(await committed(['keep-1', 'fail-2', 'keep-3'])).toEqual(['keep-1', 'keep-3']);
  });

  it('let each write see the writes queued before it', async () => {
    const { database } = handle;
    const seen = await Promise.all(
      [1, 2, 3].map((i) =>
        database.write('key', async (trx) => {
          await trx
            .insertInto('companies')
            .values(company(`seen-${i}`))
            .execute();
          const rows = await trx
            .selectFrom('companies')
            .select('name')
            .where('name', 'like', 'seen-%')
            .execute();
          return rows.length;
        }),
      ),
    );
    // Serialised: each saw one more than the write before it.
    expect(fifo ? seen : [...seen].sort()).toEqual([1, 2, 3]);
  });

  it('roll a failing write back with its statements, on its own too', async () => {
    await expect(
      handle.database.write('key', async (trx) => {
        await trx.insertInto('companies').values(company('alone-fail')).execute();
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(await committed(['alone-fail'])).toEqual([]);
  });
});
