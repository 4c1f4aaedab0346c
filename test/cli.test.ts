import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testDialect } from './helpers/test-app.js';

const root = path.resolve(import.meta.dirname, '..');
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
});
