/**
 * The receiver's check in docs/EVENTS.md, run as written against the signatures Itinera makes
 * with its published key: it accepts them and refuses tampered, stale, or foreign ones.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { essSignature } from '../../../src/modules/notifications/ess/ess-signature.js';
import { EssSigningKeys } from '../../../src/modules/notifications/ess/ess-signing-keys.js';
import { isSealed, SecretBox } from '../../../src/security/secret-box.js';
import { useTestContext } from '../../helpers/app-fixture.js';
import { REPO_ROOT } from '../../helpers/reference-files.js';
import type { TestContext } from '../../helpers/test-app.js';

type Verify = (pem: string, header: unknown, body: string, tolerance?: number) => boolean;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-doc-'));
let verify: Verify;
let context: TestContext;

useTestContext((given) => {
  context = given;
});
beforeAll(async () => {
  const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs/EVENTS.md'), 'utf8');
  const code = /```js\n([\s\S]*?)```/.exec(doc)?.[1];
  expect(code).toContain('export function verifyConcurSignature');
  const file = path.join(dir, 'verify.mjs');
  fs.writeFileSync(file, code as string);
  verify = ((await import(file)) as { verifyConcurSignature: Verify }).verifyConcurSignature;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('docs/EVENTS.md signature check', () => {
  const body = JSON.stringify({ id: 'e', facts: { id: 'trip-é' } });
  const now = () => Math.floor(Date.now() / 1000);

  it('accepts what Itinera signs, with the key published at /events/v4/public-key', async () => {
    const keys = new EssSigningKeys(context.database.db, new SecretBox());
    const key = await keys.current();
    const header = essSignature(key, now(), body);
    const published = await context.app.inject({ method: 'GET', url: '/events/v4/public-key' });
    expect(published.statusCode).toBe(200);
    expect(published.headers['content-type']).toContain('application/x-pem-file');
    expect(published.headers['itinera-key-id']).toBe(key.kid);
    expect(published.body).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(header).toContain(`kid=${key.kid}`);
    expect(verify(published.body, header, body)).toBe(true);

    // Refused: another body, a stale timestamp, a missing one, another key, junk.
    expect(verify(published.body, header, body.replace('é', 'e'))).toBe(false);
    expect(verify(published.body, essSignature(key, now() - 600, body), body)).toBe(false);
    expect(verify(published.body, header.replace(/^t=\d+,/, ''), body)).toBe(false);
    const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = essSignature({ ...key, privateKey: foreign.privateKey }, now(), body);
    expect(verify(published.body, forged, body)).toBe(false);
    expect(verify(published.body, undefined, body)).toBe(false);
    expect(verify(published.body, 't=abc,sig=zz', body)).toBe(false);
  });

  it('rotates: the new key signs, the old one stays published by kid', async () => {
    let clock = Date.now();
    const keys = new EssSigningKeys(context.database.db, new SecretBox(), { now: () => clock });
    const old = await keys.current();
    clock += 91 * 86_400_000;
    const next = await keys.current();
    expect(next.kid).not.toBe(old.kid);
    const kids = (await keys.published()).map((k) => k.kid);
    expect(kids).toEqual(expect.arrayContaining([old.kid, next.kid]));
    const byKid = await context.app.inject({
      method: 'GET',
      url: `/events/v4/public-key?kid=${old.kid}`,
    });
    expect(byKid.statusCode).toBe(200);
    const header = essSignature(old, now(), body);
    expect(verify(byKid.body, header, body)).toBe(true);
    const jwks = await context.app.inject({ method: 'GET', url: '/events/v4/public-keys' });
    expect(jwks.json().keys.map((k: { kid: string }) => k.kid)).toContain(old.kid);
    // Past the overlap the replaced key is gone.
    clock += 8 * 86_400_000;
    await keys.rotate();
    expect((await keys.published()).map((k) => k.kid)).not.toContain(old.kid);
  });

  it('keeps private keys sealed at rest when SECRETS_KEY is set', async () => {
    const keys = new EssSigningKeys(context.database.db, new SecretBox(randomBytes(32)));
    const names = () =>
      context.database.db
        .selectFrom('server_secrets')
        .select(['name', 'secret'])
        .where('name', 'like', 'ess-signing-key:%')
        .execute();
    const before = new Set((await names()).map((r) => r.name));
    await keys.rotate();
    const added = (await names()).filter((r) => !before.has(r.name));
    expect(added).toHaveLength(1);
    const row = added[0] as { secret: string };
    expect(isSealed(row.secret)).toBe(true);
    expect(row.secret).not.toContain('PRIVATE KEY');
  });
});
