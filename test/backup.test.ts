/**
 * src/db/sqlite-backup.ts on its own: a copy taken while another connection keeps writing
 * (which makes SQLite restart a stepwise copy), refusals that leave files alone, a failure that
 * leaves nothing behind; and the PostgreSQL advice of src/db/database-location.ts, which must
 * never carry the password.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { describeDatabase, pgDumpCommand } from '../src/db/database-location.js';
import { type BackupProgress, backupSqliteDatabase } from '../src/db/sqlite-backup.js';
import { testDialect } from './helpers/test-app.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-backup-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A WAL-mode database of `rows` rows of 2 KB (about half a page each). */
function sourceDatabase(name: string, rows: number): { file: string; db: SQLite.Database } {
  const file = path.join(dir, name);
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.exec('create table items (id integer primary key, body text not null)');
  const insert = db.prepare('insert into items (body) values (?)');
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(`${i}:`.padEnd(2000, 'x'));
  })();
  return { file, db };
}

function readCopy(file: string): { ids: number[]; integrity: string; journalMode: string } {
  const copy = new SQLite(file, { readonly: true });
  try {
    return {
      ids: copy
        .prepare('select id from items order by id')
        .all()
        .map((row) => (row as { id: number }).id),
      integrity: copy.pragma('integrity_check', { simple: true }) as string,
      journalMode: copy.pragma('journal_mode', { simple: true }) as string,
    };
  } finally {
    copy.close();
  }
}

/** The files of the test directory whose names start with `prefix`'s base name or a dot. */
function leftovers(prefix: string): string[] {
  const base = path.basename(prefix);
  return fs.readdirSync(dir).filter((name) => name.startsWith(`.${base}`) || name === base);
}

describe.skipIf(testDialect() !== 'sqlite')('backupSqliteDatabase', () => {
  it('copies every row committed before it started while another connection writes', async () => {
    const { file, db } = sourceDatabase('busy.db', 3000);
    const insert = db.prepare('insert into items (body) values (?)');
    const target = path.join(dir, 'busy-copy.db');
    const seen: BackupProgress[] = [];
    try {
      const result = await backupSqliteDatabase(file, target, {
        pagesPerStep: 50,
        onProgress: (progress) => {
          seen.push(progress);
          // A write between two steps: SQLite restarts the copy on the next step.
          if (progress.remainingPages > 0) insert.run('written during the backup');
        },
      });
      expect(result).toEqual({ destination: target, bytes: fs.statSync(target).size });
    } finally {
      db.close();
    }
    const copy = readCopy(target);
    expect(copy.ids.slice(0, 3000)).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    expect(copy.integrity).toBe('ok');
    // Standalone: a rollback journal, nothing beside it.
    expect(copy.journalMode).toBe('delete');
    expect(fs.existsSync(`${target}-wal`)).toBe(false);
    // The copy restarted (the remaining count went up) and then finished in one step.
    const restarted = seen.findIndex(
      (progress, i) => i > 0 && progress.remainingPages >= (seen[i - 1]?.remainingPages ?? 0),
    );
    expect(restarted).toBeGreaterThan(0);
    expect(seen.length).toBeLessThanOrEqual(restarted + 2);
    expect(seen.at(-1)?.remainingPages).toBe(0);
  });

  it('refuses an existing file, the database itself and a missing directory', async () => {
    const { file, db } = sourceDatabase('refusals.db', 10);
    db.close();
    const existing = path.join(dir, 'existing.db');
    fs.writeFileSync(existing, 'keep me');
    await expect(backupSqliteDatabase(file, existing)).rejects.toThrow(
      `${existing} already exists`,
    );
    expect(fs.readFileSync(existing, 'utf8')).toBe('keep me');
    await expect(backupSqliteDatabase(file, file, { overwrite: true })).rejects.toThrow(
      'is the database itself',
    );
    const nowhere = path.join(dir, 'missing', 'copy.db');
    await expect(backupSqliteDatabase(file, nowhere)).rejects.toThrow(
      `cannot write ${nowhere}: the directory ${path.dirname(nowhere)} does not exist`,
    );
    // With overwrite the existing file is replaced by a good copy.
    await backupSqliteDatabase(file, existing, { overwrite: true });
    expect(readCopy(existing).ids).toHaveLength(10);
    expect(leftovers(existing)).toEqual(['existing.db']);
  });

  it('leaves nothing at the destination when the copy fails', async () => {
    const notADatabase = path.join(dir, 'not-a-database.db');
    fs.writeFileSync(notADatabase, 'this is not an SQLite file '.repeat(200));
    const target = path.join(dir, 'failed-copy.db');
    await expect(backupSqliteDatabase(notADatabase, target)).rejects.toThrow();
    expect(leftovers(target)).toEqual([]);
  });
});

describe('the PostgreSQL backup advice', () => {
  it('names host, port, user and database, never the password', () => {
    const url = 'postgres://ops:S3cret%21@db.internal:6432/itinera?sslmode=verify-full';
    const command = pgDumpCommand(url, 'itinera.dump');
    expect(command).toBe(
      'PGSSLMODE=verify-full pg_dump --format=custom --file=itinera.dump --host=db.internal ' +
        '--port=6432 --username=ops --dbname=itinera',
    );
    expect(describeDatabase({ dialect: 'postgres', connectionString: url })).toBe(
      'PostgreSQL ops@db.internal:6432/itinera',
    );
    for (const text of [
      command,
      describeDatabase({ dialect: 'postgres', connectionString: url }),
    ]) {
      expect(text).not.toMatch(/S3cret/);
    }
  });

  it('keeps a socket host and quotes what the shell would split', () => {
    expect(
      pgDumpCommand(
        'postgresql://me:pw@/my%20db?host=/var/run/postgresql&password=pw',
        'a b.dump',
        'tenant_1',
      ),
    ).toBe(
      "pg_dump --format=custom '--file=a b.dump' --host=/var/run/postgresql --username=me " +
        "--schema=tenant_1 '--dbname=my db'",
    );
  });
});
