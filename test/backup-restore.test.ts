/**
 * `itinera backup` while an app on a file database takes trip writes, then the restore procedure
 * an operator follows (docs/OPERATIONS.md): stop the server, remove the database file with its
 * `-wal` and `-shm`, put the backup in its place, start. Every trip committed before the backup
 * started is there, the file passes `PRAGMA integrity_check`, and the restored server takes new
 * writes.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { connectDatabase } from '../src/db/connect.js';
import { REPO_ROOT } from './helpers/reference-files.js';
import { seedTenant, type TestContext, testDialect, tokenFor } from './helpers/test-app.js';
import { createTrip, everyTripId, getTrip, postTrip, simpleTrip } from './helpers/trip-requests.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-restore-'));
const live = path.join(dir, 'itinera.db');
const backupFile = path.join(dir, 'backup.db');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** An app serving the SQLite file `filename`, as `itinera serve` with one worker would. */
async function serveFile(filename: string): Promise<TestContext> {
  const config = Object.freeze({
    ...loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: `sqlite:${filename}` }),
    notificationDelivery: false,
  });
  const database = connectDatabase(config.database);
  const app = await buildApp(config, { database });
  return {
    app,
    database,
    config,
    connectAgain: () => connectDatabase(config.database),
    async close() {
      await app.close();
      await database.close(); // given to buildApp, so not closed by it
    },
  };
}

/** `npx itinera backup FILE` against the live database. */
function runBackup(): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['itinera', 'backup', backupFile],
      { cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: `sqlite:${live}` }, encoding: 'utf8' },
      (error, stdout, stderr) => resolve({ code: error ? 1 : 0, stdout, stderr }),
    );
  });
}

describe.skipIf(testDialect() !== 'sqlite')('backup and restore of the SQLite database', () => {
  it('restores every trip committed before the backup, and serves and writes after', async () => {
    const server = await serveFile(live);
    const tenant = await seedTenant(server);
    const token = await tokenFor(server, tenant, tenant.traveller);
    const before: string[] = [];
    for (let i = 0; i < 60; i++) {
      before.push(
        (await createTrip(server.app, token, simpleTrip(`Before ${i}`, i, i + 2))).tripId,
      );
    }

    // Trips keep being written while the backup runs in its own process.
    let running = true;
    let writtenDuring = 0;
    const writes = (async () => {
      for (let i = 0; running; i++) {
        const response = await postTrip(server.app, token, simpleTrip(`During ${i}`, i, i + 1));
        expect(response.statusCode).toBe(200);
        if (running) writtenDuring++;
      }
    })();
    const backup = await runBackup();
    running = false;
    await writes;
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toContain(`to ${backupFile} (`);
    expect(writtenDuring).toBeGreaterThan(0);

    const check = new SQLite(backupFile, { readonly: true });
    try {
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      check.close();
    }

    // The restore procedure: stop, replace the file and drop the old -wal/-shm, start.
    await server.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${live}${suffix}`, { force: true });
    fs.copyFileSync(backupFile, live);
    const restored = await serveFile(live);
    try {
      const again = await tokenFor(restored, tenant, tenant.traveller);
      const listed = await everyTripId(restored.app, again);
      expect(listed).toEqual(expect.arrayContaining(before));
      for (const tripId of before.slice(0, 5)) {
        expect((await getTrip(restored.app, again, tripId)).statusCode).toBe(200);
      }
      const { tripId } = await createTrip(restored.app, again, simpleTrip('After restore', 3, 4));
      expect(await everyTripId(restored.app, again)).toContain(tripId);
    } finally {
      await restored.close();
    }
  }, 120_000);
});
