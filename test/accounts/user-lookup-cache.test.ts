import { describe, expect, it } from 'vitest';
import { cachedUserByLoginId } from '../../src/modules/accounts/user-lookup-cache.js';
import { useTestTenant } from '../helpers/app-fixture.js';
import type { Tenant, TestContext } from '../helpers/test-app.js';

let context: TestContext;
let tenant: Tenant;

useTestTenant((given) => {
  ({ context, tenant } = given);
});

describe('users looked up for userid_value', () => {
  it('are kept 30 seconds, then read again', async () => {
    const { db } = context.database;
    const login = tenant.traveller.loginId;
    const now = Date.now();
    const first = await cachedUserByLoginId(db, login.toUpperCase(), now);
    expect(first?.login_id).toBe(login);
    await db.updateTable('users').set({ active: 0 }).where('login_id', '=', login).execute();
    expect((await cachedUserByLoginId(db, login, now + 29_000))?.active).toBe(1);
    expect((await cachedUserByLoginId(db, login, now + 31_000))?.active).toBe(0);
    await db.updateTable('users').set({ active: 1 }).where('login_id', '=', login).execute();
  });

  it('are not remembered when unknown, so a user created later is found', async () => {
    expect(await cachedUserByLoginId(context.database.db, 'nobody@example.com')).toBeUndefined();
  });
});
