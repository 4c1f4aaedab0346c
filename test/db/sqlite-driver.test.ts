import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/connect.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-driver-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('SQLite driver shared by two connections (as two processes would)', () => {
  it('queues a second writer while the first holds the lock, without blocking the event loop', async () => {
    const file = path.join(dir, 'shared.db');
    const a = connectDatabase({ dialect: 'sqlite', filename: file });
    const b = connectDatabase({ dialect: 'sqlite', filename: file });
    await sql`create table events (id integer primary key, who text not null)`.execute(a.db);
    const order: string[] = [];
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    const first = a.db.transaction().execute(async (trx) => {
      await sql`insert into events (who) values ('a')`.execute(trx);
      order.push('a inserted');
      await new Promise((r) => setTimeout(r, 150)); // hold the write lock across awaits
      order.push('a commits');
    });
    await new Promise((r) => setTimeout(r, 20));
    const second = b.db.transaction().execute(async (trx) => {
      order.push('b began');
      await sql`insert into events (who) values ('b')`.execute(trx);
    });
    await Promise.all([first, second]);
    clearInterval(ticker);
    expect(order).toEqual(['a inserted', 'a commits', 'b began']);
    // Timers kept firing while b waited: the wait did not block the event loop.
    expect(ticks).toBeGreaterThan(10);
    const { rows } = await sql<{ who: string }>`select who from events order by id`.execute(b.db);
    expect(rows.map((r) => r.who)).toEqual(['a', 'b']);
    await a.close();
    await b.close();
  });
});
