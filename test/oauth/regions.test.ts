import { beforeAll, describe, expect, it } from 'vitest';
import { useTestTenant } from '../helpers/app-fixture.js';
import { passwordGrant, seedTenant, type Tenant, type TestContext } from '../helpers/test-app.js';

let context: TestContext;
let usTenant: Tenant;
let emeaTenant: Tenant;

const URLS = { us: 'https://us.itinera.example', emea: 'https://emea.itinera.example' };

// This instance serves the `us` region.
useTestTenant({ config: { region: 'us', regionUrls: URLS }, tenant: { region: 'us' } }, (given) => {
  ({ context, tenant: usTenant } = given);
});
beforeAll(async () => {
  emeaTenant = await seedTenant(context, { region: 'emea' });
});

const signIn = (tenant: Tenant) => passwordGrant(context, tenant, tenant.traveller);

describe('geolocation', () => {
  it('answers the geolocation of the user region', async () => {
    const response = await signIn(usTenant);
    expect(response.statusCode).toBe(200);
    expect(response.json().geolocation).toBe(URLS.us);
  });

  it('refuses a user of another region at sign-in with code 16 naming the right geolocation', async () => {
    const response = await signIn(emeaTenant);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 16, geolocation: URLS.emea });
  });

  it('refuses API calls for users of another region with 403 naming their geolocation', async () => {
    // A token issued by the emea instances, which share the signing keys.
    const user = await context.database.db
      .selectFrom('users')
      .select('id')
      .where('login_id', '=', emeaTenant.traveller.loginId)
      .executeTakeFirstOrThrow();
    const app = await context.database.db
      .selectFrom('apps')
      .select('id')
      .where('client_id', '=', emeaTenant.app.clientId)
      .executeTakeFirstOrThrow();
    const token = await context.app.tokenKeys.sign(
      {
        sub: user.id,
        'concur.type': 'user',
        'https://api.concursolutions.com/app': app.id,
        'https://api.concursolutions.com/scopes': ['ITINER'],
      },
      600,
      'http://localhost:80',
    );
    const response = await context.app.inject({
      method: 'GET',
      url: '/api/travel/trip/v1.1',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain(URLS.emea);
    expect(response.body).toContain('<Code>wrong_region</Code>');
  });
});
