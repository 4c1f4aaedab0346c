import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/reference-files.js';
import { testDialect } from './helpers/test-app.js';

const root = REPO_ROOT;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-cli-'));
const env = { ...process.env, DATABASE_URL: `sqlite:${path.join(dir, 'cli.db')}` };
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function itinera(...args: string[]): string {
  return execFileSync('npx', ['itinera', ...args], { cwd: root, env, encoding: 'utf8' });
}

describe.skipIf(testDialect() !== 'sqlite')('npx itinera', () => {
  it('migrates, rotates signing keys and explains itself', () => {
    expect(itinera('migrate')).toContain('applied: 2026-11-23T0900-initial');
    // The README's `npm run db:migrate` is the same command.
    const again = execFileSync('npm', ['run', 'db:migrate'], { cwd: root, env, encoding: 'utf8' });
    expect(again).toContain('schema is up to date');
    const first = /new signing key (\S+);/.exec(itinera('rotate-keys'))?.[1];
    const second = /new signing key (\S+);/.exec(itinera('rotate-keys'))?.[1];
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).not.toBe(first);
    expect(itinera('help')).toContain('rotate-keys');
  }, 60_000);

  it('issues an auth token once, storing only its digest', () => {
    const seedFile = path.join(dir, 'seed.json');
    fs.writeFileSync(
      seedFile,
      JSON.stringify({
        companies: [{ name: 'Cli Co', region: 'us' }],
        apps: [
          {
            clientId: 'cli-app',
            clientSecret: 'cli-app-secret-0123',
            name: 'Cli App',
            kind: 'partner',
            scopes: ['ITINER'],
            companies: ['Cli Co'],
          },
        ],
      }),
    );
    itinera('seed', seedFile);
    const output = itinera('issue-authtoken', '--company', 'Cli Co', '--client=cli-app');
    const token = /^authtoken (\S+)$/m.exec(output)?.[1];
    const companyId = /^company_id (\S+)$/m.exec(output)?.[1];
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(companyId).toMatch(/^[0-9a-f-]{36}$/);
    const db = new SQLite(path.join(dir, 'cli.db'), { readonly: true });
    try {
      const rows = db.prepare('select token_hash, company_id from auth_tokens').all();
      expect(rows).toEqual([
        {
          token_hash: createHash('sha256').update(token!).digest('base64url'),
          company_id: companyId,
        },
      ]);
    } finally {
      db.close();
    }
    expect(() =>
      execFileSync('npx', ['itinera', 'issue-authtoken', '--company', 'Cli Co'], {
        cwd: root,
        env,
        stdio: 'pipe',
      }),
    ).toThrow();
  }, 60_000);
});
