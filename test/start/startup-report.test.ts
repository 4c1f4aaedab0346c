/**
 * The start-up line (`itinera started`): version, database without password, workers, latest
 * applied migration and listening URL, on the dialect under test.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../../src/config.js';
import { connectDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { logStarted } from '../../src/start/startup-report.js';
import { TEST_PG_URL, testDialect } from '../helpers/test-app.js';

const PASSWORD = 'hunter2-not-logged';
const version = (
  JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')) as {
    version: string;
  }
).version;
let config: Readonly<Config>;
let applied: string[] = [];
let cleanup: () => Promise<void> = async () => {};

beforeAll(async () => {
  const env = { WORKERS: '3', HOST: '127.0.0.1', PORT: '8123' };
  if (testDialect() === 'postgres') {
    // Trust authentication ignores the password: it is there to show it is never logged.
    const url = new URL(TEST_PG_URL);
    url.password = PASSWORD;
    const schema = `t_${randomUUID().replaceAll('-', '')}`;
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const loaded = loadConfig({ ...env, DATABASE_URL: url.toString() });
    config = { ...loaded, database: { ...loaded.database, schema } as Config['database'] };
    cleanup = async () => {
      const client = new pg.Client({ connectionString: TEST_PG_URL });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    };
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-report-'));
    config = loadConfig({ ...env, DATABASE_URL: `sqlite:${path.join(dir, 'x.db')}` });
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  }
  const handle = connectDatabase(config.database);
  applied = await migrateToLatest(handle.db, handle.dialect);
  await handle.close();
});
afterAll(() => cleanup());

/** The JSON lines a logger wrote while `work` ran. */
async function logged(work: (log: pino.Logger) => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  await work(pino({ level: 'info' }, sink));
  return lines;
}

describe('logStarted', () => {
  it('logs one info line with version, database, workers, migration and URL', async () => {
    const lines = await logged((log) => logStarted(config, log));
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    const database =
      config.database.dialect === 'sqlite'
        ? { kind: 'sqlite', file: config.database.filename }
        : {
            kind: 'postgres',
            server: `${new URL(TEST_PG_URL).hostname}:${new URL(TEST_PG_URL).port || '5432'}`,
            name: new URL(TEST_PG_URL).pathname.slice(1),
          };
    expect(entry).toMatchObject({
      level: 30,
      msg: 'itinera started',
      version,
      database,
      workers: 3,
      migration: applied.at(-1),
      listening: ['http://127.0.0.1:8123'],
    });
    expect(applied.length).toBeGreaterThan(0);
    expect(lines[0]).not.toContain(PASSWORD);
  });

  it('warns instead of failing when the database cannot be read', async () => {
    const broken = loadConfig({ DATABASE_URL: 'sqlite:/sys/itinera-report-missing.db' });
    const lines = await logged((log) => logStarted(broken, log));
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual([
      'itinera started, but its start-up report failed',
    ]);
  });
});
