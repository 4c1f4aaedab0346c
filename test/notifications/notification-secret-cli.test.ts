/**
 * `itinera notification-secret CLIENT_ID`: the secret an app checks signatures with, the same
 * one the subscribe answer carries.
 */

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/connect.js';
import { findAppByClientId } from '../../src/modules/accounts/app.repository.js';
import { notificationSigningSecret } from '../../src/modules/notifications/delivery/notification-signing.js';
import { SecretBox } from '../../src/security/secret-box.js';
import { REPO_ROOT } from '../helpers/reference-files.js';
import { testDialect } from '../helpers/test-app.js';

const root = REPO_ROOT;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-secret-'));
const filename = path.join(dir, 'cli.db');
const env = { ...process.env, DATABASE_URL: `sqlite:${filename}` };
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.skipIf(testDialect() !== 'sqlite')('npx itinera notification-secret', () => {
  it("prints the app's signing secret, and fails for an unknown app", async () => {
    const seedFile = path.join(dir, 'seed.json');
    fs.writeFileSync(
      seedFile,
      JSON.stringify({
        companies: [{ name: 'Secret Co', region: 'us' }],
        apps: [
          {
            clientId: 'secret-app',
            clientSecret: 'secret-app-secret-0123',
            name: 'Secret App',
            kind: 'partner',
            scopes: ['ITINER'],
            companies: ['Secret Co'],
            postbackUrl: 'https://receiver.example/postback',
          },
        ],
      }),
    );
    execFileSync('npx', ['itinera', 'seed', seedFile], { cwd: root, env, stdio: 'pipe' });
    const printed = execFileSync('npx', ['itinera', 'notification-secret', 'secret-app'], {
      cwd: root,
      env,
      encoding: 'utf8',
    }).trim();
    expect(printed).toMatch(/^whsec_[\w-]{43}$/);
    const database = connectDatabase({ dialect: 'sqlite', filename });
    try {
      const app = await findAppByClientId(database.db, 'secret-app');
      expect(printed).toBe(
        await notificationSigningSecret(database.db, new SecretBox(), app?.id ?? ''),
      );
    } finally {
      await database.close();
    }
    const unknown = spawnSync('npx', ['itinera', 'notification-secret', 'nobody'], {
      cwd: root,
      env,
      encoding: 'utf8',
    });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("no app with client id 'nobody'");
  }, 60_000);
});
