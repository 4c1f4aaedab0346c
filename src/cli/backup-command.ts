/**
 * `itinera backup FILE [--force]`: a copy of the embedded SQLite database taken while servers
 * run (src/db/sqlite-backup.ts). PostgreSQL is backed up with pg_dump; the command says how.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { pgDumpCommand } from '../db/database-location.js';
import { type BackupProgress, backupSqliteDatabase } from '../db/sqlite-backup.js';
import type { CommandInput, ExitCode } from './command.js';

/** `12.3 MB` (decimal units, as `ls -h --si` and most dashboards show them). */
function humanSize(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

/** A percentage on the terminal, rewritten in place; nothing when stderr is not a terminal. */
function progressDisplay(): { update(progress: BackupProgress): void; clear(): void } {
  const stream = process.stderr;
  if (!stream.isTTY) return { update() {}, clear() {} };
  let shown = false;
  return {
    update({ totalPages, remainingPages }) {
      const done = totalPages - remainingPages;
      const percent = totalPages > 0 ? Math.floor((done * 100) / totalPages) : 100;
      stream.write(`\rbacking up: ${percent}% (${done}/${totalPages} pages)`);
      shown = true;
    },
    clear() {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}

/** Backs the SQLite database up into FILE, or explains pg_dump on PostgreSQL. */
export async function backup(input: CommandInput): Promise<ExitCode> {
  const file = input.args.FILE ?? '';
  const force = input.options.force === true;
  const { database } = loadConfig();
  if (database.dialect === 'postgres') {
    console.error(
      'itinera backup copies the embedded SQLite database; this DATABASE_URL is PostgreSQL.\n' +
        'Back it up with pg_dump (it asks for the password, or reads PGPASSWORD or ~/.pgpass):\n' +
        `  ${pgDumpCommand(database.connectionString, file, database.schema)}\n` +
        'and restore it with pg_restore.',
    );
    return 2;
  }
  if (database.filename === ':memory:') {
    console.error('DATABASE_URL is sqlite::memory:, which has nothing to back up');
    return 1;
  }
  if (!fs.existsSync(database.filename)) {
    console.error(`no database at ${database.filename} (DATABASE_URL); nothing to back up`);
    return 1;
  }
  const target = path.resolve(file);
  if (!force && fs.existsSync(target)) {
    console.error(`${target} already exists; nothing was written. Pass --force to replace it.`);
    return 2;
  }
  const display = progressDisplay();
  try {
    const result = await backupSqliteDatabase(database.filename, target, {
      overwrite: force,
      onProgress: display.update,
    });
    display.clear();
    console.log(
      `backed up ${database.filename} to ${result.destination} ` +
        `(${humanSize(result.bytes)}; integrity check ok)`,
    );
    return 0;
  } catch (error) {
    display.clear();
    throw error;
  }
}
