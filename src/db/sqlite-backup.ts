/**
 * A consistent copy of the embedded SQLite database while servers keep writing to it, through
 * SQLite's online backup API (better-sqlite3 `db.backup`). The copy is written to a temporary
 * file next to the destination, checked (`PRAGMA integrity_check`), turned into a standalone
 * file (rollback journal, no `-wal` beside it) and only then moved into place, so that a failed
 * backup leaves no half-written file under the destination's name.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';

/**
 * Pages copied per step (4 MB at SQLite's default 4 KB pages): small enough for a progress
 * display, large enough that a step costs little next to its bookkeeping.
 */
const PAGES_PER_STEP = 1000;
/** better-sqlite3's largest step: the whole database in one read transaction. */
const ALL_PAGES = 0x7fffffff;
/** How long a step waits for a lock (a server's checkpoint); the CLI may block while it waits. */
const BUSY_TIMEOUT_MS = 5000;

export interface BackupProgress {
  totalPages: number;
  remainingPages: number;
}

export interface SqliteBackupOptions {
  /** Replace an existing destination file; otherwise an existing one fails the backup. */
  overwrite?: boolean;
  /** Called after each step of the copy, and once at the end with no pages remaining. */
  onProgress?: (progress: BackupProgress) => void;
  /** Pages per step (tests make steps small to force several). */
  pagesPerStep?: number;
}

export interface SqliteBackupResult {
  /** The absolute path of the backup. */
  destination: string;
  /** Its size in bytes. */
  bytes: number;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** Whether two paths name the same existing file (links and symlinks included). */
function sameFile(a: string, b: string): boolean {
  try {
    const [first, second] = [fs.statSync(a), fs.statSync(b)];
    return first.ino === second.ino && first.dev === second.dev;
  } catch {
    return false;
  }
}

/** Refuses destinations that cannot work, each with a message naming the path. */
function checkDestination(source: string, destination: string, overwrite: boolean): void {
  const dir = path.dirname(destination);
  let dirStat: fs.Stats;
  try {
    dirStat = fs.statSync(dir);
  } catch {
    throw new Error(`cannot write ${destination}: the directory ${dir} does not exist`);
  }
  if (!dirStat.isDirectory()) {
    throw new Error(`cannot write ${destination}: ${dir} is not a directory`);
  }
  if (sameFile(source, destination)) {
    throw new Error(`${destination} is the database itself; back it up to another file`);
  }
  const existing = fs.statSync(destination, { throwIfNoEntry: false });
  if (existing?.isDirectory()) throw new Error(`cannot write ${destination}: it is a directory`);
  if (existing && !overwrite) throw new Error(`${destination} already exists`);
  // A -wal beside the destination belongs to whoever has that file open (or crashed with it
  // open); SQLite would replay it onto the backup we put there, so refuse instead.
  if (fs.existsSync(`${destination}-wal`)) {
    throw new Error(
      `${destination}-wal exists: ${destination} is open in SQLite or was not closed cleanly; ` +
        'back up to another file',
    );
  }
}

/** Creates the empty temporary file, which proves the directory writable and reserves the name. */
function reserveTemporary(destination: string): string {
  const dir = path.dirname(destination);
  const temporary = path.join(
    dir,
    `.${path.basename(destination)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    fs.closeSync(fs.openSync(temporary, 'wx'));
  } catch (error) {
    const code = codeOf(error);
    const reason =
      code === 'EACCES' || code === 'EPERM'
        ? `no permission to create files in ${dir}`
        : code === 'EROFS'
          ? `${dir} is on a read-only file system`
          : (error as Error).message;
    throw new Error(`cannot write ${destination}: ${reason}`, { cause: error });
  }
  return temporary;
}

/**
 * Copies the pages. Each step reads a consistent snapshot, but SQLite restarts the copy when
 * another connection writes between two steps; under steady writes a stepwise copy might never
 * end. Once a restart is seen (the remaining count stops falling), the rest is copied in a
 * single step, one read transaction, which writers in WAL mode do not wait for.
 */
async function copyPages(
  source: string,
  temporary: string,
  options: SqliteBackupOptions,
): Promise<void> {
  const db = new SQLite(source, { fileMustExist: true });
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    let pagesPerStep = options.pagesPerStep ?? PAGES_PER_STEP;
    let lastRemaining = Number.POSITIVE_INFINITY;
    const result = await db.backup(temporary, {
      progress: (progress) => {
        options.onProgress?.(progress);
        if (progress.remainingPages >= lastRemaining) pagesPerStep = ALL_PAGES;
        lastRemaining = progress.remainingPages;
        return pagesPerStep;
      },
    });
    options.onProgress?.({ totalPages: result.totalPages, remainingPages: 0 });
  } finally {
    db.close();
  }
}

/**
 * Checks the copy and makes it standalone: the source's WAL mode is recorded in the file, so the
 * copy is switched to a rollback journal (a single file to move around; a server opening it
 * switches back to WAL).
 */
function verifyCopy(temporary: string): void {
  const copy = new SQLite(temporary, { fileMustExist: true });
  try {
    const rows = copy.pragma('integrity_check') as { integrity_check: string }[];
    const problems = rows.map((row) => row.integrity_check).filter((line) => line !== 'ok');
    if (problems.length > 0) {
      throw new Error(`the copy fails PRAGMA integrity_check: ${problems.slice(0, 3).join('; ')}`);
    }
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  if (fs.existsSync(`${temporary}-wal`)) {
    throw new Error('the copy still depends on a -wal file after leaving WAL mode');
  }
}

function fsyncPath(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Moves the finished copy to its name; without `overwrite`, never replaces a file that appeared meanwhile. */
function place(temporary: string, destination: string, overwrite: boolean): void {
  if (overwrite) {
    fs.renameSync(temporary, destination);
    return;
  }
  try {
    // link() fails if the name exists, atomically: no window in which another file is replaced.
    fs.linkSync(temporary, destination);
  } catch (error) {
    if (codeOf(error) === 'EEXIST') throw new Error(`${destination} already exists`);
    // A file system without hard links: check, then rename.
    if (fs.existsSync(destination)) throw new Error(`${destination} already exists`);
    fs.renameSync(temporary, destination);
  }
}

/**
 * Backs the SQLite database `source` up into `destination`: a consistent snapshot taken while
 * other processes may write, verified and standalone. Throws with a message naming the path
 * when the destination exists (without `overwrite`), its directory is missing or not writable,
 * or the copy fails its integrity check; nothing is left at `destination` then.
 */
export async function backupSqliteDatabase(
  source: string,
  destination: string,
  options: SqliteBackupOptions = {},
): Promise<SqliteBackupResult> {
  const target = path.resolve(destination);
  if (!fs.existsSync(source)) throw new Error(`no SQLite database at ${source}`);
  checkDestination(source, target, options.overwrite ?? false);
  const temporary = reserveTemporary(target);
  try {
    await copyPages(source, temporary, options);
    verifyCopy(temporary);
    fsyncPath(temporary);
    place(temporary, target, options.overwrite ?? false);
    try {
      fsyncPath(path.dirname(target)); // the new name survives a crash
    } catch {
      // Some platforms cannot open a directory; the file itself is already on disk.
    }
    return { destination: target, bytes: fs.statSync(target).size };
  } finally {
    for (const leftover of ['', '-journal', '-wal', '-shm']) {
      fs.rmSync(`${temporary}${leftover}`, { force: true });
    }
  }
}
