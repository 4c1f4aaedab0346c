import { execFile, execFileSync } from 'node:child_process';
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

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The CLI without failing on a non-zero exit: `node --import tsx src/cli.ts …`, what
 * bin/itinera.js runs, minus npx's own start-up (a second per call on a busy machine); the
 * tests above and `--version` below go through `npx itinera` itself.
 */
function run(
  args: string[],
  extraEnv: Record<string, string> = {},
  through: 'node' | 'npx' = 'node',
): Promise<Outcome> {
  const [command, prefix] =
    through === 'npx'
      ? ['npx', ['itinera']]
      : [process.execPath, ['--import', 'tsx', 'src/cli.ts']];
  return new Promise((resolve) => {
    execFile(
      command,
      [...prefix, ...args],
      { cwd: root, env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        resolve({ status: error ? (typeof code === 'number' ? code : null) : 0, stdout, stderr });
      },
    );
  });
}

/** Runs the command lines two at a time (the machine has few cores); one outcome per line. */
async function runAll<const Lines extends readonly (readonly string[])[]>(
  lines: Lines,
  extraEnv: Record<string, string> = {},
): Promise<{ [K in keyof Lines]: Outcome }> {
  const outcomes: Outcome[] = [];
  for (let index = 0; index < lines.length; index += 2) {
    const pair = lines.slice(index, index + 2).map((line) => run([...line], extraEnv));
    outcomes.push(...(await Promise.all(pair)));
  }
  return outcomes as { [K in keyof Lines]: Outcome };
}

/** The names of the applied migrations, in order. */
function appliedMigrations(file: string): string[] {
  const db = new SQLite(file, { readonly: true });
  try {
    return db
      .prepare('select name from kysely_migration order by name')
      .all()
      .map((row) => (row as { name: string }).name);
  } finally {
    db.close();
  }
}

const COMMAND_NAMES = [
  'serve',
  'migrate',
  'rollback',
  'delete-trip',
  'anonymize-user',
  'seed',
  'rotate-keys',
  'issue-authtoken',
  'notification-secret',
  'backup',
];

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

describe.skipIf(testDialect() !== 'sqlite')('npx itinera: help, version and usage errors', () => {
  it('prints help for every command without running it (not even opening the database)', async () => {
    const untouched = path.join(dir, 'help', 'never.db');
    const helpEnv = { DATABASE_URL: `sqlite:${untouched}` };
    const outcomes = await runAll(
      COMMAND_NAMES.map((name) => [name, '--help']),
      helpEnv,
    );
    for (const [index, outcome] of outcomes.entries()) {
      expect(outcome.status, outcome.stderr).toBe(0);
      expect(outcome.stdout).toContain(`usage: itinera ${COMMAND_NAMES[index]}`);
      expect(outcome.stdout).toMatch(/examples?:\n {2}.*itinera /);
    }
    // `help CMD`, `seed FILE -h`, `rollback --yes --help`: help still wins, nothing runs.
    const [helpBackup, seedHelp, rollbackHelp] = await runAll(
      [
        ['help', 'backup'],
        ['seed', 'examples/demo-seed.json', '-h'],
        ['rollback', '--yes', '--help'],
      ],
      helpEnv,
    );
    expect(helpBackup.stdout).toBe(outcomes[COMMAND_NAMES.indexOf('backup')]?.stdout);
    expect(seedHelp.stdout).toContain('usage: itinera seed FILE');
    expect(rollbackHelp.stdout).toContain('usage: itinera rollback [--yes]');
    expect(fs.existsSync(path.dirname(untouched))).toBe(false);
  }, 120_000);

  it('lists the commands, prints the version, and does not serve without a command', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const [help, short, v, none] = await runAll([['--help'], ['-h'], ['-v'], []]);
    const version = await run(['--version'], {}, 'npx');
    for (const outcome of [help, short]) {
      expect(outcome.status).toBe(0);
      for (const name of COMMAND_NAMES) expect(outcome.stdout).toContain(`  ${name} `);
    }
    expect(version.stdout.trim()).toBe(manifest.version);
    expect(v.stdout.trim()).toBe(manifest.version);
    // Exits (the server would keep running), with the help and the way to serve.
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('usage: itinera <command>');
    expect(none.stderr).toContain("the server is 'itinera serve'");
  }, 60_000);

  it('exits 2 naming an unknown command or option, or a missing argument', async () => {
    const [command, option, global, missingFile, missingOption, noValue, extra] = await Promise.all(
      [
        run(['migrat']),
        run(['migrate', '--foo']),
        run(['--foo']),
        run(['seed']),
        run(['issue-authtoken', '--company', 'Cli Co']),
        run(['issue-authtoken', '--client', 'x', '--company']),
        run(['rotate-keys', 'now']),
      ],
    );
    for (const outcome of [command, option, global, missingFile, missingOption, noValue, extra]) {
      expect(outcome.status).toBe(2);
      expect(outcome.stdout).toBe('');
    }
    expect(command.stderr).toContain("unknown command 'migrat'");
    expect(option.stderr).toContain("unknown option '--foo' for 'migrate'");
    expect(global.stderr).toContain("unknown option '--foo'");
    expect(missingFile.stderr).toContain("missing FILE for 'seed'");
    expect(missingFile.stderr).toContain('usage: itinera seed FILE');
    expect(missingOption.stderr).toContain("missing --client for 'issue-authtoken'");
    expect(missingOption.stderr).toContain(
      'usage: itinera issue-authtoken --company NAME --client CLIENT_ID',
    );
    expect(noValue.stderr).toContain("option '--company' needs a value");
    expect(extra.stderr).toContain("unexpected argument 'now' for 'rotate-keys'");
  }, 60_000);
});

describe.skipIf(testDialect() !== 'sqlite')('npx itinera rollback', () => {
  it('refuses without --yes and changes nothing; reverts the latest migration with it', async () => {
    const file = path.join(dir, 'rollback.db');
    const dbEnv = { DATABASE_URL: `sqlite:${file}` };
    expect((await run(['migrate'], dbEnv)).status).toBe(0);
    const before = appliedMigrations(file);
    const latest = before.at(-1) ?? '';
    expect(latest).not.toBe('');

    const [refused, help] = await runAll([['rollback'], ['rollback', '--help']], dbEnv);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`would revert the migration ${latest}`);
    expect(refused.stderr).toContain('--yes');
    expect(help.status).toBe(0);
    expect(appliedMigrations(file)).toEqual(before);

    const reverted = await run(['rollback', '--yes'], dbEnv);
    expect(reverted.status, reverted.stderr).toBe(0);
    expect(reverted.stdout).toContain(`reverted: ${latest}`);
    expect(appliedMigrations(file)).toEqual(before.slice(0, -1));
    expect((await run(['migrate'], dbEnv)).stdout).toContain(`applied: ${latest}`);
  }, 60_000);

  it('names the database path when it cannot be opened', async () => {
    const blocker = path.join(dir, 'not-a-directory');
    fs.writeFileSync(blocker, 'a file where a directory should be');
    const outcome = await run(['migrate'], { DATABASE_URL: `sqlite:${blocker}/itinera.db` });
    expect(outcome.status).toBe(1);
    expect(outcome.stderr).toContain(`cannot use the database (SQLite file ${blocker}/itinera.db`);
  }, 60_000);
});

describe('npx itinera backup', () => {
  it.skipIf(testDialect() !== 'sqlite')(
    'writes a copy, refuses to overwrite it without --force, replaces it with --force',
    async () => {
      const source = path.join(dir, 'backup-source.db');
      const dbEnv = { DATABASE_URL: `sqlite:${source}` };
      expect((await run(['migrate'], dbEnv)).status).toBe(0);
      const target = path.join(dir, 'copy.db');
      const first = await run(['backup', target], dbEnv);
      expect(first.status, first.stderr).toBe(0);
      expect(first.stdout).toMatch(
        new RegExp(`to ${target} \\(\\d+\\.\\d kB; integrity check ok\\)`),
      );
      // Piped, so no progress display.
      expect(first.stderr).toBe('');
      expect(appliedMigrations(target)).toEqual(appliedMigrations(source));

      fs.writeFileSync(target, 'keep me');
      const refused = await run(['backup', target], dbEnv);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain(`${target} already exists`);
      expect(refused.stderr).toContain('--force');
      expect(fs.readFileSync(target, 'utf8')).toBe('keep me');

      const forced = await run(['backup', target, '--force'], dbEnv);
      expect(forced.status, forced.stderr).toBe(0);
      expect(appliedMigrations(target)).toEqual(appliedMigrations(source));

      const missingDir = path.join(dir, 'no-such-dir', 'copy.db');
      const failed = await run(['backup', missingDir], dbEnv);
      expect(failed.status).toBe(1);
      expect(failed.stderr).toContain(`the directory ${path.dirname(missingDir)} does not exist`);
      // No temporary files were left beside the copies.
      expect(fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    },
    60_000,
  );

  it('on PostgreSQL exits 2 with the pg_dump command, without the password', async () => {
    const outcome = await run(['backup', 'itinera.dump'], {
      DATABASE_URL: 'postgres://itinera:Pa55-w0rd@db.internal:6432/travel',
    });
    expect(outcome.status).toBe(2);
    expect(outcome.stderr).toContain(
      'pg_dump --format=custom --file=itinera.dump --host=db.internal --port=6432 ' +
        '--username=itinera --dbname=travel',
    );
    expect(outcome.stderr).not.toContain('Pa55-w0rd');
    expect(fs.existsSync(path.join(root, 'itinera.dump'))).toBe(false);
  }, 60_000);
});
