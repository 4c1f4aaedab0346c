/**
 * Signing keys and server secrets encrypted at rest with SECRETS_KEY: turning it on, rotating
 * it with SECRETS_KEY_PREVIOUS, starting without it, and turning it off again. The steps run in
 * order on one database, as an operator would take them.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { decodeProtectedHeader } from 'jose';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import {
  notificationSigningSecret,
  signatureHeaderValue,
} from '../../src/modules/notifications/delivery/notification-signing.js';
import { createSigningKey, TokenKeys } from '../../src/modules/oauth/keys/access-token.js';
import { decryptSecretsAtRest } from '../../src/modules/oauth/keys/keys-at-rest.js';
import { SecretBox } from '../../src/security/secret-box.js';
import { useTestTenant } from '../helpers/app-fixture.js';
import { passwordGrant, type Tenant, type TestContext } from '../helpers/test-app.js';
import { listTrips } from '../helpers/trip-requests.js';

let context: TestContext;
let tenant: Tenant;

useTestTenant((given) => {
  ({ context, tenant } = given);
});

const FIRST = randomBytes(32);
const SECOND = randomBytes(32);
const firstId = new SecretBox(FIRST).currentKeyId as string;
const secondId = new SecretBox(SECOND).currentKeyId as string;

const opened: FastifyInstance[] = [];
afterAll(async () => {
  for (const app of opened) await app.close();
});

/** Another start of the service on the same database, with other secrets settings. */
async function restart(settings: Partial<Config>): Promise<FastifyInstance> {
  const app = await buildApp(
    { ...context.config, secretsKey: undefined, secretsKeyPrevious: undefined, ...settings },
    { database: context.database },
  );
  opened.push(app);
  return app;
}

async function storedRows() {
  const keys = await context.database.db
    .selectFrom('signing_keys')
    .select(['kid', 'private_jwk'])
    .execute();
  const secrets = await context.database.db
    .selectFrom('server_secrets')
    .select(['name', 'secret'])
    .execute();
  return {
    keys,
    secrets,
    all: [...keys.map((k) => k.private_jwk), ...secrets.map((s) => s.secret)],
  };
}

async function accessToken(app: FastifyInstance): Promise<string> {
  const response = await passwordGrant({ ...context, app }, tenant, tenant.traveller);
  expect(response.statusCode).toBe(200);
  return (response.json() as { access_token: string }).access_token;
}

async function appId(): Promise<string> {
  const row = await context.database.db
    .selectFrom('apps')
    .select('id')
    .where('client_id', '=', tenant.app.clientId)
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('secrets at rest', () => {
  let clearToken: string;
  let clearSecrets: Map<string, string>;
  let notificationSecret: string;
  /** A process started with the first key, still running while another rotates it. */
  let firstKeyApp: FastifyInstance;
  const signature = (secret: string) => signatureHeaderValue(secret, 1_700_000_000, '<a/>');

  it('are stored clear without SECRETS_KEY, as before', async () => {
    clearToken = await accessToken(context.app);
    notificationSecret = await notificationSigningSecret(
      context.database.db,
      new SecretBox(),
      await appId(),
    );
    const rows = await storedRows();
    expect(rows.keys.length).toBeGreaterThan(0);
    expect(rows.keys.every((k) => k.private_jwk.includes('"d":'))).toBe(true);
    // The sign-in form's key, the web app's cookie key, the notification master secret and the
    // sign-in throttle's key.
    expect(rows.secrets.length).toBe(4);
    expect(rows.all.some((value) => value.startsWith('enc:'))).toBe(false);
    clearSecrets = new Map(rows.secrets.map((s) => [s.name, s.secret]));
  });

  it('are encrypted at start once SECRETS_KEY is set; earlier tokens and secrets still hold', async () => {
    const app = await restart({ secretsKey: FIRST });
    firstKeyApp = app;
    const rows = await storedRows();
    for (const value of rows.all) expect(value.startsWith(`enc:v1:${firstId}:`)).toBe(true);
    expect(rows.all.some((value) => value.includes('"d":'))).toBe(false);
    for (const clear of clearSecrets.values()) {
      expect(rows.all.some((value) => value.includes(clear))).toBe(false);
    }
    // A token signed before still verifies, through a request.
    expect((await listTrips(app, clearToken)).statusCode).toBe(200);
    // The derived notification secrets (and so the signatures) are unchanged.
    const after = await notificationSigningSecret(
      context.database.db,
      new SecretBox(FIRST),
      await appId(),
    );
    expect(after).toBe(notificationSecret);
    expect(signature(after)).toBe(signature(notificationSecret));
    // The clear values are the same as before, only sealed.
    const box = new SecretBox(FIRST);
    for (const row of rows.secrets) {
      expect(box.open(row.secret, `server_secrets.secret:${row.name}`)).toBe(
        clearSecrets.get(row.name),
      );
    }
    // The new process signs tokens the first one (whose keys were loaded clear) accepts.
    expect((await listTrips(context.app, await accessToken(app))).statusCode).toBe(200);
  });

  it('encrypts keys created later (rotate-keys) with SECRETS_KEY', async () => {
    const kid = await createSigningKey(context.database.db, new SecretBox(FIRST));
    const rows = await storedRows();
    const created = rows.keys.find((k) => k.kid === kid);
    expect(created?.private_jwk.startsWith(`enc:v1:${firstId}:`)).toBe(true);
  });

  it('are re-encrypted under the new key when rotated with SECRETS_KEY_PREVIOUS', async () => {
    const before = await storedRows();
    const app = await restart({ secretsKey: SECOND, secretsKeyPrevious: FIRST });
    const rows = await storedRows();
    expect(rows.all.length).toBe(before.all.length);
    for (const value of rows.all) expect(value.startsWith(`enc:v1:${secondId}:`)).toBe(true);
    expect((await listTrips(app, clearToken)).statusCode).toBe(200);
    const after = await notificationSigningSecret(
      context.database.db,
      new SecretBox(SECOND),
      await appId(),
    );
    expect(after).toBe(notificationSecret);
  });

  it('keep a process started with the previous key working through a rolling rotation', async () => {
    // The rotated process adds a key (sealed with the second key, unknown to the first process).
    const newKid = await createSigningKey(context.database.db, new SecretBox(SECOND));
    const rotated = await TokenKeys.load(
      context.database.db,
      context.config.tokenIssuer,
      new SecretBox(SECOND, [FIRST]),
    );
    const claims = {
      sub: 'someone',
      'concur.type': 'user' as const,
      'https://api.concursolutions.com/app': 'x',
      'https://api.concursolutions.com/scopes': ['ITINER'],
    };
    const fromRotated = await rotated.sign(claims, 600, 'http://localhost:80');
    // Past the signing keys' maximum age: the first process reloads them before signing.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 6 * 60_000 });
    try {
      const fromFirst = await firstKeyApp.tokenKeys.sign(claims, 600, 'http://localhost:80');
      expect(decodeProtectedHeader(fromFirst).kid).not.toBe(newKid);
      await expect(rotated.verify(fromFirst)).resolves.toMatchObject({ sub: 'someone' });
      await expect(firstKeyApp.tokenKeys.verify(fromRotated)).resolves.toMatchObject({
        sub: 'someone',
      });
    } finally {
      vi.useRealTimers();
    }
    // Server secrets are decrypted once per process (here, in the second step): a process with
    // the first key only still derives the same notification secrets.
    await expect(
      notificationSigningSecret(context.database.db, new SecretBox(FIRST), await appId()),
    ).resolves.toBe(notificationSecret);
  });

  it('refuse to start without their key, changing nothing', async () => {
    const before = await storedRows();
    const message = `signing keys are encrypted with key ${secondId}; set SECRETS_KEY (or SECRETS_KEY_PREVIOUS) to it`;
    await expect(restart({})).rejects.toThrow(message);
    // The key before the rotation is no longer enough.
    await expect(restart({ secretsKey: FIRST })).rejects.toThrow(message);
    // Reading with the old key alone would leave new rows clear beside encrypted ones.
    await expect(restart({ secretsKeyPrevious: SECOND })).rejects.toThrow(
      /SECRETS_KEY_PREVIOUS is set without SECRETS_KEY/,
    );
    expect(await storedRows()).toEqual(before);
  });

  it('refuse to start when a value was moved to another row', async () => {
    const before = await storedRows();
    const [first, second] = before.secrets as [
      { name: string; secret: string },
      { name: string; secret: string },
    ];
    await context.database.db
      .updateTable('server_secrets')
      .set({ secret: second.secret })
      .where('name', '=', first.name)
      .execute();
    try {
      await expect(restart({ secretsKey: SECOND })).rejects.toThrow(/cannot be decrypted/);
    } finally {
      await context.database.db
        .updateTable('server_secrets')
        .set({ secret: first.secret })
        .where('name', '=', first.name)
        .execute();
    }
  });

  it('are decrypted back to clear by decryptSecretsAtRest, and then start without a key', async () => {
    await expect(decryptSecretsAtRest(context.database, FIRST)).rejects.toThrow(
      `signing keys are encrypted with key ${secondId}`,
    );
    expect(await decryptSecretsAtRest(context.database, SECOND)).toBeGreaterThan(0);
    const rows = await storedRows();
    expect(rows.all.some((value) => value.startsWith('enc:'))).toBe(false);
    expect(new Map(rows.secrets.map((s) => [s.name, s.secret]))).toEqual(clearSecrets);
    const app = await restart({});
    expect((await listTrips(app, clearToken)).statusCode).toBe(200);
  });
});
