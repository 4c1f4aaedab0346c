/**
 * The app a test file runs against, set up once per file. `useTestApp` registers the file's
 * `beforeAll` (build the app on a fresh database, seed a tenant, sign a user in) and `afterAll`
 * (close the app, drop the database), and hands what it built to `ready` inside that
 * `beforeAll`, so that the file's own `beforeAll` hooks, registered after it, can use it.
 *
 * `useTestContext` and `useTestTenant` are the same fixture with fewer steps, for files that
 * seed their own world or sign in their own way.
 *
 * ```ts
 * let context: TestContext;
 * let token: string;
 * useTestApp({ config: { bodyLimitBytes: 4096 } }, (given) => {
 *   ({ context, token } = given);
 * });
 * ```
 */
import { afterAll, beforeAll } from 'vitest';
import type { BuildOptions } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import {
  buildTestApp,
  type SeedTenantOptions,
  seedTenant,
  type Tenant,
  type TestContext,
  tokenFor,
} from './test-app.js';

export interface TestContextOptions {
  /** Config overrides, on top of the test defaults (silent logs, no delivery worker). */
  config?: Partial<Config>;
  /** Build options other than the database, e.g. the rate limiter's clock or worker timings. */
  build?: Omit<BuildOptions, 'database'>;
}

export interface TestTenantOptions extends TestContextOptions {
  /** How the tenant is seeded: its app's scopes, region, redirect URIs, name. */
  tenant?: SeedTenantOptions;
}

/** The tenant's users who can sign in. */
export type TenantUser = 'traveller' | 'otherTraveller' | 'admin';

export interface TestAppOptions extends TestTenantOptions {
  /** Whose access token `token` is (through the tenant's app); default the traveller. */
  user?: TenantUser;
}

export interface TestTenant {
  context: TestContext;
  tenant: Tenant;
}

export interface TestApp extends TestTenant {
  /** A password-grant access token of `options.user`. */
  token: string;
}

type Ready<T> = (given: T) => void | Promise<void>;

/** Splits the optional options argument from the callback. */
function parse<O, T>(a: O | Ready<T>, b?: Ready<T>): [O, Ready<T>] {
  if (typeof a === 'function') return [{} as O, a as Ready<T>];
  if (!b) throw new Error('the fixture needs a ready callback');
  return [a, b];
}

/** Registers the file's app: built in `beforeAll` on a fresh database, closed in `afterAll`. */
export function useTestContext(ready: Ready<TestContext>): void;
export function useTestContext(options: TestContextOptions, ready: Ready<TestContext>): void;
export function useTestContext(
  a: TestContextOptions | Ready<TestContext>,
  b?: Ready<TestContext>,
): void {
  const [options, ready] = parse(a, b);
  let context: TestContext | undefined;
  beforeAll(async () => {
    context = await buildTestApp(options.config, options.build);
    await ready(context);
  });
  afterAll(async () => {
    await context?.close();
  });
}

/** As `useTestContext`, with a tenant seeded (see `seedTenant`). */
export function useTestTenant(ready: Ready<TestTenant>): void;
export function useTestTenant(options: TestTenantOptions, ready: Ready<TestTenant>): void;
export function useTestTenant(
  a: TestTenantOptions | Ready<TestTenant>,
  b?: Ready<TestTenant>,
): void {
  const [options, ready] = parse(a, b);
  useTestContext(options, async (context) => {
    await ready({ context, tenant: await seedTenant(context, options.tenant) });
  });
}

/** As `useTestTenant`, with one of the tenant's users signed in (default the traveller). */
export function useTestApp(ready: Ready<TestApp>): void;
export function useTestApp(options: TestAppOptions, ready: Ready<TestApp>): void;
export function useTestApp(a: TestAppOptions | Ready<TestApp>, b?: Ready<TestApp>): void {
  const [options, ready] = parse(a, b);
  useTestTenant(options, async ({ context, tenant }) => {
    const token = await tokenFor(context, tenant, tenant[options.user ?? 'traveller']);
    await ready({ context, tenant, token });
  });
}
