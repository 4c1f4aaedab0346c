import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueAuthToken } from '../../src/modules/oauth/grants/auth-token.service.js';
import { useTestTenant } from '../helpers/app-fixture.js';
import { refresh } from '../helpers/authorize-flow.js';
import { seedTenant, type Tenant, type TestContext } from '../helpers/test-app.js';

let context: TestContext;
let tenant: Tenant;
let otherClient: Tenant;

useTestTenant((given) => {
  ({ context, tenant } = given);
});
beforeAll(async () => {
  otherClient = await seedTenant(context);
});

function issue(target: Tenant = tenant) {
  return issueAuthToken(context.database.db, {
    companyName: target.company,
    clientId: target.app.clientId,
  });
}

function authtokenGrant(
  client: Tenant,
  username: string,
  password: string,
  extra: Record<string, string> = {},
) {
  return context.app.inject({
    method: 'POST',
    url: '/oauth2/v0/token',
    payload: new URLSearchParams({
      grant_type: 'password',
      credtype: 'authtoken',
      client_id: client.app.clientId,
      client_secret: client.app.clientSecret,
      username,
      password,
      ...extra,
    }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

describe('issueAuthToken (itinera issue-authtoken)', () => {
  it('stores only a digest, valid 24 hours', async () => {
    const issued = await issue();
    const row = await context.database.db
      .selectFrom('auth_tokens')
      .selectAll()
      .where('token_hash', '=', createHash('sha256').update(issued.token).digest('base64url'))
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ company_id: issued.companyId, uses: 0 });
    expect(row.expires_at - row.created_at).toBe(24 * 3600_000);
  });

  it('refuses an unknown company, an unknown app, or an app the company has not connected', async () => {
    const db = context.database.db;
    await expect(
      issueAuthToken(db, { companyName: 'Nope', clientId: tenant.app.clientId }),
    ).rejects.toThrow(/No company/);
    await expect(
      issueAuthToken(db, { companyName: tenant.company, clientId: 'nope' }),
    ).rejects.toThrow(/No app/);
    await expect(
      issueAuthToken(db, { companyName: tenant.company, clientId: otherClient.app.clientId }),
    ).rejects.toThrow(/not connected/);
  });
});

describe('POST /oauth2/v0/token grant_type=password credtype=authtoken', () => {
  it('issues a company-level token with a refresh token, which refreshes into one again', async () => {
    const { token, companyId } = await issue();
    const response = await authtokenGrant(tenant, companyId, token);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(typeof body.refresh_token).toBe('string');
    expect(body.geolocation).toBe('http://localhost:80');
    const claims = decodeJwt(body.access_token);
    expect(claims['concur.type']).toBe('company');
    expect(claims.companies).toEqual([companyId]);
    expect(decodeJwt(body.id_token)).toMatchObject({ 'concur.type': 'company', sub: companyId });

    // The token acts for the company's users, as an administrator would.
    const trips = await context.app.inject({
      method: 'GET',
      url: `/api/travel/trip/v1.1?userid_type=login&userid_value=${tenant.traveller.loginId}`,
      headers: { authorization: `Bearer ${body.access_token}` },
    });
    expect(trips.statusCode).toBe(200);

    const refreshed = await refresh(context, tenant, body.refresh_token);
    expect(refreshed.statusCode).toBe(200);
    expect(decodeJwt(refreshed.json().access_token)).toMatchObject({
      'concur.type': 'company',
      companies: [companyId],
    });
    expect(refreshed.json().refresh_token).not.toBe(body.refresh_token);
  });

  it('answers 136 when another client presents the token, without using it up', async () => {
    const { token, companyId } = await issue();
    const response = await authtokenGrant(otherClient, companyId, token);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 136, error: 'invalid_grant' });
    expect((await authtokenGrant(tenant, companyId, token)).statusCode).toBe(200);
  });

  it('works five times, then answers code 5', async () => {
    const { token, companyId } = await issue();
    for (let i = 0; i < 5; i++) {
      expect((await authtokenGrant(tenant, companyId, token)).statusCode).toBe(200);
    }
    const sixth = await authtokenGrant(tenant, companyId, token);
    expect(sixth.statusCode).toBe(400);
    expect(sixth.json()).toMatchObject({ code: 5, error: 'invalid_grant' });
  });

  it('answers code 5 for an expired token, a wrong company or an unknown token', async () => {
    const expired = await issue();
    await context.database.db
      .updateTable('auth_tokens')
      .set({ expires_at: Date.now() - 1 })
      .where('token_hash', '=', createHash('sha256').update(expired.token).digest('base64url'))
      .execute();
    const fresh = await issue();
    for (const [username, password] of [
      [expired.companyId, expired.token],
      [otherClient.company, fresh.token],
      ['00000000-0000-4000-8000-000000000000', fresh.token],
      [fresh.companyId, 'not-a-token'],
    ] as const) {
      const response = await authtokenGrant(tenant, username, password);
      expect({ status: response.statusCode, code: response.json().code }).toEqual({
        status: 400,
        code: 5,
      });
    }
    expect((await authtokenGrant(tenant, fresh.companyId, fresh.token)).statusCode).toBe(200);
  });

  it('answers 51/52 for a missing username or password and 54 for a scope beyond the app', async () => {
    const { token, companyId } = await issue();
    expect((await authtokenGrant(tenant, '', token)).json()).toMatchObject({ code: 51 });
    expect((await authtokenGrant(tenant, companyId, '')).json()).toMatchObject({ code: 52 });
    const scoped = await authtokenGrant(tenant, companyId, token, { scope: 'ITINER EXTRA' });
    expect(scoped.json()).toMatchObject({ code: 54 });
    // A refused request does not count as a use.
    const row = await context.database.db
      .selectFrom('auth_tokens')
      .select('uses')
      .where('token_hash', '=', createHash('sha256').update(token).digest('base64url'))
      .executeTakeFirstOrThrow();
    expect(row.uses).toBe(0);
  });
});
