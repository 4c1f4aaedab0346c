/**
 * GET /healthz, /readyz and /version: liveness without the database; readiness that fails
 * (503, saying which check) when a migration is pending, the database is unreachable or the
 * app is shutting down; the version's fields.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { migrateDown, migrateToLatest, migrationStatus } from '../../src/db/migrate.js';
import { useTestContext } from '../helpers/app-fixture.js';
import { type TestContext, testDialect } from '../helpers/test-app.js';

const COMMIT = 'a'.repeat(40);

let context: TestContext;
// ITINERA_COMMIT, as loadConfig reads it.
useTestContext({ config: { commit: COMMIT } }, (given) => {
  context = given;
});

afterEach(async () => {
  // A test that rolled a migration back leaves the schema current for the next.
  await migrateToLatest(context.database.db, context.database.dialect);
});

describe('GET /healthz', () => {
  it('answers 200 {"status":"ok"} without a token', async () => {
    const response = await context.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });
});

describe('GET /readyz', () => {
  it('answers 200 when the database answers and every migration is applied', async () => {
    const response = await context.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      status: 'ok',
      checks: { database: 'ok', migrations: 'ok' },
    });
  });

  it('answers 503 naming the pending migration after the latest is rolled back', async () => {
    const { db, dialect } = context.database;
    const [rolledBack] = await migrateDown(db, dialect);
    expect(rolledBack).toBeDefined();
    const response = await context.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      status: 'unavailable',
      checks: { database: 'ok', migrations: `pending: ${rolledBack}` },
    });
  });

  it('answers 503 naming the migrations of a newer version the database has', async () => {
    const { db, dialect } = context.database;
    await migrateToLatest(db, dialect);
    const newer = '2999-01-01T0000-from-the-future';
    await sql`insert into kysely_migration (name, timestamp) values (${newer}, ${new Date().toISOString()})`.execute(
      db,
    );
    try {
      const response = await context.app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({
        status: 'unavailable',
        checks: { database: 'ok', migrations: `newer than this version: ${newer}` },
      });
    } finally {
      await sql`delete from kysely_migration where name = ${newer}`.execute(db);
    }
    expect((await context.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });

  it('answers 503 "unreachable" when the database is closed', async () => {
    const database = context.connectAgain();
    const app = await buildApp(context.config, { database });
    try {
      await database.close();
      const response = await app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({
        status: 'unavailable',
        checks: { database: 'unreachable', migrations: 'not checked' },
      });
      // Liveness does not depend on the database, and /version still answers.
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      const version = await app.inject({ method: 'GET', url: '/version' });
      expect(version.statusCode).toBe(200);
      expect(version.json()).toMatchObject({ name: 'itinera', migration: null });
    } finally {
      await app.close();
    }
  });

  it('answers 503 once the app drains, while other requests are still served', async () => {
    const database = context.connectAgain();
    const app = await buildApp(context.config, { database });
    try {
      expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      app.beginDrain();
      const response = await app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({
        status: 'unavailable',
        checks: { database: 'not checked', migrations: 'not checked', shutdown: 'draining' },
      });
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await app.close();
      await database.close();
    }
  });
});

describe('GET /version', () => {
  it('names the package, the commit, the dialect and the latest applied migration', async () => {
    const { db, dialect } = context.database;
    const status = await migrationStatus(db, dialect);
    expect(status.pending).toEqual([]);
    const response = await context.app.inject({ method: 'GET', url: '/version' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      name: 'itinera',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      commit: COMMIT,
      database: testDialect(),
      migration: status.latestApplied,
    });
    expect(status.latestApplied).toMatch(/^\d{4}-\d{2}-\d{2}T\d{4}-/);
  });
});
