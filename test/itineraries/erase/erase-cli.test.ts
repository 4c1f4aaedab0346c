/**
 * `itinera delete-trip` and `itinera anonymize-user`, spawned: each refuses without --yes and
 * changes nothing, then does what the API does (the services are the same; the API tests check
 * the effects in detail).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { connectDatabase } from '../../../src/db/connect.js';
import { companyToken } from '../../helpers/access-world.js';
import { REPO_ROOT } from '../../helpers/reference-files.js';
import { seedTenant, type Tenant, type TestContext, testDialect } from '../../helpers/test-app.js';
import { createTrip, simpleTrip } from '../../helpers/trip-requests.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-erase-cli-'));
const filename = path.join(dir, 'cli.db');
let context: TestContext;
let tenant: Tenant;
let tripIds: string[];

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI as bin/itinera.js runs it, on this file's database. */
function itinera(...args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', ...args],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, DATABASE_URL: `sqlite:${filename}`, LOG_LEVEL: 'silent' },
        encoding: 'utf8',
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        resolve({ status: error ? (typeof code === 'number' ? code : null) : 0, stdout, stderr });
      },
    );
  });
}

async function tripCount(): Promise<number> {
  const rows = await context.database.db
    .selectFrom('trips')
    .select('id')
    .where('id', 'in', tripIds)
    .execute();
  return rows.length;
}

describe.skipIf(testDialect() !== 'sqlite')('itinera delete-trip and anonymize-user', () => {
  beforeAll(async () => {
    const database = connectDatabase({ dialect: 'sqlite', filename });
    const config = Object.freeze({
      ...loadConfig({ LOG_LEVEL: 'silent' }),
      notificationDelivery: false,
    });
    const app = await buildApp(config, { database });
    context = {
      app,
      database,
      config,
      connectAgain: () => connectDatabase({ dialect: 'sqlite', filename }),
      close: async () => {
        await app.close();
        await database.close();
      },
    };
    tenant = await seedTenant(context);
    const token = await companyToken(context, tenant.app);
    const forTraveller = { userid_type: 'login_id', userid_value: tenant.traveller.loginId };
    tripIds = [];
    for (const name of ['To delete', 'To anonymize']) {
      tripIds.push(
        (await createTrip(context.app, token, simpleTrip(name, 3, 4), forTraveller)).tripId,
      );
    }
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('delete-trip refuses without --yes, then deletes; a second time it fails', async () => {
    const [doomed] = tripIds as [string];
    const refused = await itinera('delete-trip', doomed);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`would delete the trip ${doomed}`);
    expect(await tripCount()).toBe(2);

    const done = await itinera('delete-trip', doomed, '--yes');
    expect(done.status, done.stderr).toBe(0);
    expect(done.stdout).toContain(`deleted: trip ${doomed}`);
    expect(await tripCount()).toBe(1);

    const again = await itinera('delete-trip', doomed, '--yes');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('was not found');
  }, 60_000);

  it('anonymize-user refuses without --yes, checks --company, then anonymizes', async () => {
    const loginId = tenant.traveller.loginId;
    const refused = await itinera('anonymize-user', loginId);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--yes');
    const wrongCompany = await itinera(
      'anonymize-user',
      loginId,
      '--company',
      'Nobody Inc',
      '--yes',
    );
    expect(wrongCompany.status).toBe(1);
    const user = () =>
      context.database.db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', userId)
        .executeTakeFirst();
    const userId = (
      await context.database.db
        .selectFrom('users')
        .select('id')
        .where('login_id', '=', loginId)
        .executeTakeFirstOrThrow()
    ).id;
    expect((await user())?.last_name).toBe('Miller');

    const done = await itinera('anonymize-user', loginId, '--company', tenant.company, '--yes');
    expect(done.status, done.stderr).toBe(0);
    expect(done.stdout).toContain(`anonymized: user ${userId}, 1 trips`);
    expect(done.stdout).not.toContain(loginId);
    expect(await user()).toMatchObject({
      first_name: 'Anonymized',
      last_name: 'Traveller',
      active: 0,
    });
  }, 60_000);
});
