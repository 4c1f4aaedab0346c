import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/connect.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-ckpt-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('SQLite checkpoints in a worker thread', () => {
  it('copies committed pages into the database file without the writer doing it', async () => {
    const file = path.join(dir, 'ckpt.db');
    const handle = connectDatabase({ dialect: 'sqlite', filename: file });
    const { db } = handle;
    await sql`create table blobs (id integer primary key, body text not null)`.execute(db);
    const sizeBefore = fs.statSync(file).size;
    const body = 'x'.repeat(4000);
    for (let i = 0; i < 300; i++) await sql`insert into blobs (body) values (${body})`.execute(db);
    // The writer no longer checkpoints: the rows sit in the WAL, not yet in the main file.
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(1_000_000);
    const deadline = Date.now() + 5000;
    while (fs.statSync(file).size < sizeBefore + 1_000_000 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(fs.statSync(file).size).toBeGreaterThan(sizeBefore + 1_000_000);
    await handle.close();
    // Reopened, every row is there.
    const again = connectDatabase({ dialect: 'sqlite', filename: file });
    const { rows } = await sql<{ n: number }>`select count(*) as n from blobs`.execute(again.db);
    expect(rows[0]?.n).toBe(300);
    await again.close();
  });
});

describe('the checkpointer past its WAL limit', () => {
  it('empties the WAL, which PASSIVE checkpoints alone never shrink', async () => {
    const { startCheckpointer } = await import('../../src/db/sqlite-checkpointer.js');
    const SQLite = (await import('better-sqlite3')).default;
    const file = path.join(dir, 'limit.db');
    const writer = new SQLite(file);
    writer.pragma('journal_mode = WAL');
    writer.pragma('wal_autocheckpoint = 0');
    writer.exec('create table blobs (id integer primary key, body text not null)');
    const insert = writer.prepare('insert into blobs (body) values (?)');
    for (let i = 0; i < 500; i++) insert.run('y'.repeat(4000));
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(2_000_000);
    const checkpointer = startCheckpointer(file, () => {}, {
      intervalMs: 20,
      walLimitBytes: 1_000_000,
    });
    const deadline = Date.now() + 5000;
    while (fs.statSync(`${file}-wal`).size > 1_000_000 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(fs.statSync(`${file}-wal`).size).toBeLessThan(1_000_000);
    await checkpointer.stop();
    expect(writer.prepare('select count(*) as n from blobs').get()).toEqual({ n: 500 });
    writer.close();
  });
});
