import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { FormTokens } from '../../src/modules/oauth/authorize/authorize-form.js';
import { useTestTenant } from '../helpers/app-fixture.js';
import {
  authorizeQuery,
  exchangeCode,
  getAuthorize,
  hiddenFields,
  postAuthorize,
  REDIRECT_URI,
  redirectParams,
} from '../helpers/authorize-flow.js';
import { passwordGrant, seedTenant, type Tenant, type TestContext } from '../helpers/test-app.js';

let context: TestContext;
let tenant: Tenant;
let strangers: Tenant;

useTestTenant({ tenant: { redirectUris: [REDIRECT_URI, 'http://localhost:3000/cb'] } }, (given) => {
  ({ context, tenant } = given);
});
beforeAll(async () => {
  // Another company, not connected to the first tenant's app.
  strangers = await seedTenant(context);
});

async function formFor(query = authorizeQuery(tenant)) {
  const page = await getAuthorize(context, query);
  expect(page.statusCode).toBe(200);
  return hiddenFields(page.body);
}

function signIn(fields: Record<string, string>, user = tenant.traveller) {
  return postAuthorize(context, {
    ...fields,
    login_id: user.loginId,
    password: user.password,
    action: 'allow',
  });
}

describe('GET /oauth2/v0/authorize → POST → token → API', () => {
  it('signs the user in, redirects with code, state and geolocation, and the code buys a working token', async () => {
    const page = await getAuthorize(context, authorizeQuery(tenant));
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['x-frame-options']).toBe('DENY');
    const policy = String(page.headers['content-security-policy']);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("default-src 'none'");
    expect(page.body).toContain(`TMC ${tenant.app.clientId.slice(4)}`);
    expect(page.body).toContain('(ITINER)');
    expect(page.body).toContain('name="password"');
    expect(page.body).not.toMatch(/<script|https?:\/\/(?!client\.example)/);

    const response = await signIn(hiddenFields(page.body));
    expect(response.statusCode).toBe(302);
    const location = String(response.headers.location);
    expect(location).toMatch(
      /^https:\/\/client\.example\/callback\?code=[^&]+&state=state-123&geolocation=/,
    );
    const query = redirectParams(location);
    expect(query.get('geolocation')).toBe('http://localhost:80');

    const exchange = await exchangeCode(context, tenant, query.get('code')!);
    expect(exchange.statusCode).toBe(200);
    const body = exchange.json();
    expect(body).toMatchObject({ token_type: 'Bearer', scope: 'openid ITINER' });
    expect(body.geolocation).toBe('http://localhost:80');
    expect(typeof body.refresh_token).toBe('string');
    expect(decodeJwt(body.id_token).aud).toBe(tenant.app.clientId);
    expect(decodeJwt(body.access_token)['concur.type']).toBe('user');

    const trips = await context.app.inject({
      method: 'GET',
      url: '/api/travel/trip/v1.1',
      headers: { authorization: `Bearer ${body.access_token}` },
    });
    expect(trips.statusCode).toBe(200);
    expect(trips.body).toContain('ItineraryInfoList');
  });

  it('keeps the registered URI query and grants only the scopes asked for', async () => {
    const fields = await formFor(
      authorizeQuery(tenant, { redirect_uri: 'http://localhost:3000/cb', scope: 'ITINER' }),
    );
    const response = await signIn(fields);
    const query = redirectParams(String(response.headers.location), 'http://localhost:3000/cb');
    const exchange = await exchangeCode(context, tenant, query.get('code')!, {
      redirect_uri: 'http://localhost:3000/cb',
    });
    expect(exchange.json()).toMatchObject({ scope: 'ITINER' });
    expect(exchange.json().id_token).toBeUndefined();
  });
});

describe('GET /oauth2/v0/authorize refuses without redirecting', () => {
  it('answers an HTML 400 for redirect URIs that are not exactly a registered one', async () => {
    for (const redirectUri of [
      `${REDIRECT_URI}/`,
      `${REDIRECT_URI}/more`,
      'https://client.example/callbac',
      `${REDIRECT_URI}?next=1`,
      `${REDIRECT_URI}#x`,
      'https://CLIENT.example/callback',
      'https://evil.example/callback',
      undefined,
    ]) {
      const response = await getAuthorize(
        context,
        authorizeQuery(tenant, { redirect_uri: redirectUri }),
      );
      expect({ uri: redirectUri, status: response.statusCode }).toEqual({
        uri: redirectUri,
        status: 400,
      });
      expect(response.headers.location).toBeUndefined();
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toContain('redirect_uri');
    }
  });

  it('answers an HTML 400 for an unknown, disabled, missing or repeated client', async () => {
    const disabled = await seedTenant(context, { redirectUris: [REDIRECT_URI] });
    await context.database.db
      .updateTable('apps')
      .set({ active: 0 })
      .where('client_id', '=', disabled.app.clientId)
      .execute();
    for (const query of [
      authorizeQuery(disabled),
      authorizeQuery(tenant, { client_id: 'no-such-client' }),
      authorizeQuery(tenant, { client_id: undefined }),
      `${authorizeQuery(tenant)}&client_id=${tenant.app.clientId}`,
    ]) {
      const response = await getAuthorize(context, query);
      expect(response.statusCode).toBe(400);
      expect(response.headers.location).toBeUndefined();
    }
  });
});

describe('GET /oauth2/v0/authorize redirects errors back to the client', () => {
  it('sends invalid_request without state when state is missing', async () => {
    const response = await getAuthorize(context, authorizeQuery(tenant, { state: undefined }));
    expect(response.statusCode).toBe(302);
    const query = redirectParams(String(response.headers.location));
    expect(query.get('error')).toBe('invalid_request');
    expect(query.get('error_description')).toContain('state');
    expect(query.has('state')).toBe(false);
    expect(query.has('code')).toBe(false);
  });

  it('sends the RFC 6749 §4.1.2.1 errors with the state', async () => {
    const cases: [Record<string, string | undefined>, string][] = [
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ response_type: undefined }, 'invalid_request'],
      [{ scope: 'ITINER EXTRA' }, 'invalid_scope'],
      [{ code_challenge_method: 'S512', code_challenge: 'x'.repeat(43) }, 'invalid_request'],
      [{ code_challenge_method: 'S256' }, 'invalid_request'],
      [{ code_challenge: 'short', code_challenge_method: 'S256' }, 'invalid_request'],
    ];
    for (const [overrides, error] of cases) {
      const response = await getAuthorize(context, authorizeQuery(tenant, overrides));
      expect(response.statusCode).toBe(302);
      const query = redirectParams(String(response.headers.location));
      expect({ overrides, error: query.get('error'), state: query.get('state') }).toEqual({
        overrides,
        error,
        state: 'state-123',
      });
    }
  });
});

describe('POST /oauth2/v0/authorize', () => {
  it('sends access_denied with the state when the user denies', async () => {
    const fields = await formFor();
    const response = await postAuthorize(context, { ...fields, action: 'deny' });
    expect(response.statusCode).toBe(302);
    const query = redirectParams(String(response.headers.location));
    expect(query.get('error')).toBe('access_denied');
    expect(query.get('state')).toBe('state-123');
    expect(query.has('code')).toBe(false);
  });

  it('shows the page again with a message for a wrong password, then throttles the user', async () => {
    const fields = await formFor();
    const user = tenant.otherTraveller;
    const wrong = await postAuthorize(context, {
      ...fields,
      login_id: user.loginId,
      password: 'wrong-password',
      action: 'allow',
    });
    expect(wrong.statusCode).toBe(200);
    expect(wrong.headers.location).toBeUndefined();
    expect(wrong.body).toContain('Incorrect login id or password.');
    expect(wrong.body).toContain(`value="${user.loginId}"`);
    expect(wrong.body).not.toContain('wrong-password');
    // The page it shows again carries a fresh, valid form.
    const again = hiddenFields(wrong.body);
    for (let i = 0; i < 4; i++) {
      const response = await postAuthorize(context, {
        ...again,
        login_id: user.loginId,
        password: 'wrong-password',
      });
      expect(response.statusCode).toBe(200);
    }
    const blocked = await signIn(again, user);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(blocked.headers.location).toBeUndefined();
    // The same budget as the token endpoint's password grant.
    expect((await passwordGrant(context, tenant, user)).statusCode).toBe(429);
  });

  it('refuses a forged, tampered or foreign form token without redirecting', async () => {
    const fields = await formFor();
    const other = await formFor(authorizeQuery(tenant, { state: 'other-state' }));
    for (const forged of [
      { ...fields, form_token: 'nonsense' },
      { ...fields, form_token: undefined },
      { ...fields, state: 'attacker-state' },
      { ...fields, scope: 'ITINER' },
      { ...fields, form_token: other.form_token },
    ]) {
      const body = Object.fromEntries(
        Object.entries(forged).filter((e): e is [string, string] => e[1] !== undefined),
      );
      const response = await signIn(body);
      expect(response.statusCode).toBe(400);
      expect(response.headers.location).toBeUndefined();
      expect(response.body).toContain('not valid');
    }
  });

  it('shows the page again when the form expired', async () => {
    const fields = await formFor();
    const { secret } = await context.database.db
      .selectFrom('server_secrets')
      .select('secret')
      .executeTakeFirstOrThrow();
    const forms = new FormTokens(Buffer.from(secret, 'base64url'));
    const { form_token: _token, ...request } = fields;
    const stale = forms.issue(Object.values(request), Date.now() - 11 * 60_000);
    const response = await signIn({ ...fields, form_token: stale });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('The form expired');
    expect(response.headers.location).toBeUndefined();
  });

  it('redirects with access_denied when the user company is not connected to the app', async () => {
    const response = await signIn(await formFor(), strangers.traveller);
    const query = redirectParams(String(response.headers.location));
    expect(query.get('error')).toBe('access_denied');
    expect(query.get('state')).toBe('state-123');
    expect(query.has('code')).toBe(false);
  });

  it('answers an HTML page for a body that is not a form', async () => {
    const response = await context.app.inject({
      method: 'POST',
      url: '/oauth2/v0/authorize',
      payload: 'client_id=x',
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(response.statusCode).toBe(415);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    const huge = await postAuthorize(context, { login_id: 'x'.repeat(20_000) });
    expect(huge.statusCode).toBe(413);
    expect(huge.headers['content-type']).toMatch(/^text\/html/);
  });
});

describe('the sign-in page escapes what it shows', () => {
  it('escapes the app name, the state and the scopes', async () => {
    const evil = await seedTenant(context, {
      appName: '<script>alert("x")</script> & Co',
      redirectUris: [REDIRECT_URI],
    });
    const state = '"><img src=x onerror=alert(1)>';
    const page = await getAuthorize(context, authorizeQuery(evil, { state }));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(page.body).not.toContain('<script>');
    expect(page.body).not.toContain('<img');
    expect(hiddenFields(page.body).state).toBe(state);
  });
});
