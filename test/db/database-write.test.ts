/**
 * `DatabaseHandle.write`: every write is all-or-nothing and answered after its commit, also
 * when waiting writes are batched into one transaction (group commit: SQLite's, and
 * PostgreSQL's per key).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connect.js';
import type { Executor } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { freshDatabase, testDialect } from '../helpers/test-app.js';

const postgres = testDialect() === 'postgres';

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
    // A process runs the queued writes of one key first come, first served.
    expect(order).toEqual(names.map((_, i) => i));
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
    expect(seen).toEqual([1, 2, 3]);
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

  it('undo a write whose statement fails in a batch alone', async () => {
    const { database } = handle;
    const outcomes = await Promise.allSettled(
      ['sql-keep-1', 'sql-keep-1', 'sql-keep-3'].map((name) =>
        database.write('key', async (trx) => {
          await trx.insertInto('companies').values(company(name)).execute();
          return name;
        }),
      ),
    );
    // The second insert breaks the primary key: only it is undone, the transaction goes on.
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await committed(['sql-keep-1', 'sql-keep-3'])).toEqual(['sql-keep-1', 'sql-keep-3']);
  });

  it('commit a batch whose last write failed, without that write', async () => {
    const { database } = handle;
    const names = ['end-1', 'end-2', 'end-3', 'end-3'];
    const outcomes = await Promise.allSettled(
      names.map((name) =>
        database.write('key', (trx) => trx.insertInto('companies').values(company(name)).execute()),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
    ]);
    expect(await committed(names)).toEqual(['end-1', 'end-2', 'end-3']);
  });
});

describe.runIf(postgres)('PostgreSQL writes', () => {
  const transactionId = async (trx: Executor) => {
    const { rows } = await sql<{ id: string }>`select txid_current()::text as id`.execute(trx);
    return rows[0]?.id;
  };

  it('batch the writes of one key that wait, and keep other keys apart', async () => {
    const { database } = handle;
    const ids = await Promise.all(
      ['a', 'a', 'a', 'b'].map((key) => database.write(`batch:${key}`, transactionId)),
    );
    // The first write of a key runs at once; those queued behind it share the next commit.
    expect(ids[1]).toBe(ids[2]);
    expect(new Set([ids[0], ids[1], ids[3]]).size).toBe(3);
  });

  it("hold a key's lock to the commit against another process's writes", async () => {
    const events: string[] = [];
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = handle.database.write('lock:x', async (trx) => {
      await trx.insertInto('companies').values(company('lock-first')).execute();
      events.push('first holds');
      await held;
      events.push('first done');
    });
    while (!events.includes('first holds')) await new Promise((r) => setTimeout(r, 5));
    const second = other.write('lock:x', async () => {
      events.push('second runs');
      return committed(['lock-first']);
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(events).toEqual(['first holds']);
    release();
    await first;
    // The other process got the lock once the first write had committed, and saw it.
    expect(await second).toEqual(['lock-first']);
    expect(events).toEqual(['first holds', 'first done', 'second runs']);
  });

  it('run transactions whose first statement takes parameters, or that run none', async () => {
    const { db } = handle.database;
    const found = await db
      .transaction()
      .execute((trx) =>
        trx.selectFrom('companies').select('name').where('name', '=', 'batch-00').execute(),
      );
    expect(found).toEqual([{ name: 'batch-00' }]);
    await expect(db.transaction().execute(async () => 'nothing')).resolves.toBe('nothing');
    await expect(
      db.transaction().execute(async () => {
        throw new Error('before any statement');
      }),
    ).rejects.toThrow('before any statement');
    // No transaction was left open on a connection: each statement there gets its own.
    const ids = await db
      .connection()
      .execute(async (connection) => [
        await transactionId(connection),
        await transactionId(connection),
      ]);
    expect(ids[0]).not.toBe(ids[1]);
  });
});
