/**
 * Builds the app against a fresh database for one test file: a new SQLite file by default, or
 * a new PostgreSQL schema when DB_DIALECT=postgres (TEST_DATABASE_URL, default the local
 * `test` database). Closing the context drops that database.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { type BuildOptions, buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { connectDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { seedDatabase, validateSeedFile } from '../../src/modules/accounts/seed/seed.service.js';

export const TEST_PG_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The dialect this run tests (DB_DIALECT=postgres, or the SQLite default). */
export function testDialect(): 'sqlite' | 'postgres' {
  return process.env.DB_DIALECT === 'postgres' ? 'postgres' : 'sqlite';
}

export interface TestContext {
  app: FastifyInstance;
  database: DatabaseHandle;
  config: Readonly<Config>;
  /** A second, independent connection (pool) to the test database, as another process has. */
  connectAgain(): DatabaseHandle;
  close(): Promise<void>;
}

/** A fresh, migrated database for this test file. */
export async function freshDatabase(): Promise<{
  database: DatabaseHandle;
  /** A second, independent connection (pool) to the same database, as another process has. */
  connectAgain(): DatabaseHandle;
  drop(): Promise<void>;
}> {
  if (testDialect() === 'postgres') {
    const schema = `t_${randomUUID().replaceAll('-', '')}`;
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const options = { dialect: 'postgres' as const, connectionString: TEST_PG_URL, schema };
    const database = connectDatabase(options);
    return {
      database,
      connectAgain: () => connectDatabase(options),
      async drop() {
        await database.close();
        const client = new pg.Client({ connectionString: TEST_PG_URL });
        await client.connect();
        await client.query(`drop schema if exists ${schema} cascade`);
        await client.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-test-'));
  const options = { dialect: 'sqlite' as const, filename: path.join(dir, 'test.db') };
  const database = connectDatabase(options);
  return {
    database,
    connectAgain: () => connectDatabase(options),
    async drop() {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Builds the app on a fresh database (`options`: e.g. a rate-limit clock). */
export async function buildTestApp(
  overrides: Partial<Config> = {},
  options: Omit<BuildOptions, 'database'> = {},
): Promise<TestContext> {
  const { database, drop, connectAgain } = await freshDatabase();
  // No delivery worker unless a test asks for one (notificationDelivery: true).
  const config = Object.freeze({
    ...loadConfig({ LOG_LEVEL: 'silent' }),
    notificationDelivery: false,
    ...overrides,
  });
  const app = await buildApp(config, { ...options, database });
  return {
    app,
    database,
    config,
    connectAgain,
    async close() {
      await app.close();
      await drop();
    },
  };
}

export interface Tenant {
  company: string;
  traveller: { loginId: string; password: string };
  otherTraveller: { loginId: string; password: string };
  admin: { loginId: string; password: string };
  app: { clientId: string; clientSecret: string };
}

/** How `seedTenant` seeds: the app's scopes, the company's region, redirect URIs, app name. */
export interface SeedTenantOptions {
  scopes?: string[];
  region?: string;
  redirectUris?: string[];
  appName?: string;
}

/**
 * Seeds a new company with a traveller, a second traveller, a WebServicesAdministrator and a
 * TMC app connected to the company. Names are unique, so tenants never collide.
 */
export async function seedTenant(
  context: TestContext,
  options: SeedTenantOptions = {},
): Promise<Tenant> {
  const tag = randomUUID().slice(0, 8);
  const tenant: Tenant = {
    company: `Company ${tag}`,
    traveller: { loginId: `traveller-${tag}@example.com`, password: `pw-traveller-${tag}` },
    otherTraveller: { loginId: `other-${tag}@example.com`, password: `pw-other-${tag}` },
    admin: { loginId: `admin-${tag}@example.com`, password: `pw-admin-${tag}` },
    app: { clientId: `tmc-${tag}`, clientSecret: `secret-${tag}-0123456789` },
  };
  await seedDatabase(
    context.database.db,
    validateSeedFile({
      companies: [{ name: tenant.company, region: options.region ?? 'us' }],
      users: [
        {
          loginId: tenant.traveller.loginId,
          password: tenant.traveller.password,
          company: tenant.company,
          firstName: 'Chris',
          lastName: 'Miller',
        },
        {
          loginId: tenant.otherTraveller.loginId,
          password: tenant.otherTraveller.password,
          company: tenant.company,
          firstName: 'Olga',
          lastName: 'Other',
        },
        {
          loginId: tenant.admin.loginId,
          password: tenant.admin.password,
          company: tenant.company,
          firstName: 'Ada',
          lastName: 'Admin',
          roles: ['WebServicesAdministrator'],
        },
      ],
      apps: [
        {
          clientId: tenant.app.clientId,
          clientSecret: tenant.app.clientSecret,
          name: options.appName ?? `TMC ${tag}`,
          kind: 'tmc',
          scopes: options.scopes ?? ['openid', 'ITINER'],
          companies: [tenant.company],
          bookingSource: `TMC${tag}`,
          travelTypes: ['Air', 'Car', 'Hotel', 'Rail'],
          redirectUris: options.redirectUris ?? [],
        },
      ],
    }),
  );
  return tenant;
}

/** The token endpoint's answer to a password grant for a user of the tenant. */
export function passwordGrant(
  context: TestContext,
  tenant: Tenant,
  user: { loginId: string; password: string },
) {
  return context.app.inject({
    method: 'POST',
    url: '/oauth2/v0/token',
    payload: new URLSearchParams({
      grant_type: 'password',
      client_id: tenant.app.clientId,
      client_secret: tenant.app.clientSecret,
      username: user.loginId,
      password: user.password,
    }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

/** A password-grant access token for a user of the tenant. */
export async function tokenFor(
  context: TestContext,
  tenant: Tenant,
  user: { loginId: string; password: string },
): Promise<string> {
  const response = await passwordGrant(context, tenant, user);
  if (response.statusCode !== 200) throw new Error(`token request failed: ${response.body}`);
  return (response.json() as { access_token: string }).access_token;
}
