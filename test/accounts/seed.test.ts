import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { seedDatabase, validateSeedFile } from '../../src/modules/accounts/seed/seed.service.js';
import { freshDatabase } from '../helpers/test-app.js';

let handle: Awaited<ReturnType<typeof freshDatabase>>;

beforeAll(async () => {
  handle = await freshDatabase();
  await migrateToLatest(handle.database.db, handle.database.dialect);
});
afterAll(() => handle.drop());

const file = {
  companies: [{ name: 'Seed Co', region: 'emea' }],
  users: [
    {
      loginId: 'Bob@Seed.Example',
      password: 'bob-password-1',
      company: 'Seed Co',
      roles: ['CanAdminister'],
    },
  ],
  apps: [
    {
      clientId: 'seed-app',
      clientSecret: 'seed-app-secret-123',
      name: 'Seed App',
      kind: 'supplier',
      scopes: ['ITINER'],
      companies: ['Seed Co'],
      bookingSource: 'SeedAir',
      travelTypes: ['Air'],
      postbackUrl: null,
      redirectUris: ['https://seed.example/callback'],
    },
  ],
};

describe('itinera seed', () => {
  it('loads companies, users and apps, and a second run changes nothing but updates', async () => {
    const { db } = handle.database;
    await seedDatabase(db, validateSeedFile(file));
    await seedDatabase(
      db,
      validateSeedFile({ ...file, companies: [{ name: 'Seed Co', region: 'us' }] }),
    );
    const companies = await db.selectFrom('companies').selectAll().execute();
    expect(companies).toHaveLength(1);
    expect(companies[0]?.region).toBe('us');
    const users = await db.selectFrom('users').selectAll().execute();
    expect(users.map((u) => u.login_id)).toEqual(['bob@seed.example']);
    expect(JSON.parse(users[0]!.roles)).toEqual(['CanAdminister']);
    const apps = await db.selectFrom('apps').selectAll().execute();
    expect(apps).toHaveLength(1);
    expect(apps[0]).toMatchObject({ kind: 'supplier', booking_source: 'SeedAir' });
    expect(await db.selectFrom('app_companies').selectAll().execute()).toHaveLength(1);
    expect(JSON.parse(apps[0]!.redirect_uris)).toEqual(['https://seed.example/callback']);
  });

  it('updates the redirect URIs of an existing app', async () => {
    const { db } = handle.database;
    const uris = ['https://seed.example/cb', 'http://localhost:3000/cb?x=1'];
    await seedDatabase(
      db,
      validateSeedFile({ ...file, apps: [{ ...file.apps[0], redirectUris: uris }] }),
    );
    const apps = await db.selectFrom('apps').select('redirect_uris').execute();
    expect(apps.map((a) => JSON.parse(a.redirect_uris))).toEqual([uris]);
  });

  it('refuses redirect URIs that are not absolute http(s) URLs without a fragment', () => {
    for (const uri of ['/relative', 'ftp://seed.example/cb', 'https://seed.example/cb#x', 'nope']) {
      const bad = { ...file, apps: [{ ...file.apps[0], redirectUris: [uri] }] };
      expect(() => validateSeedFile(bad)).toThrow(/redirect URI/);
    }
  });

  it('rejects an invalid file with every problem and writes nothing', async () => {
    const { db } = handle.database;
    const bad = { ...file, apps: [{ ...file.apps[0], kind: 'airline', clientSecret: 'short' }] };
    expect(() => validateSeedFile(bad)).toThrow(/Invalid seed file[\s\S]*kind|clientSecret/);
    const unknownCompany = {
      users: [{ ...file.users[0], loginId: 'x@y.example', company: 'Nope' }],
    };
    await expect(seedDatabase(db, validateSeedFile(unknownCompany))).rejects.toThrow(
      /unknown company 'Nope'/,
    );
    const users = await db.selectFrom('users').select('login_id').execute();
    expect(users.map((u) => u.login_id)).not.toContain('x@y.example');
  });
});
