/**
 * Every URL the service hands back (trip ids, paging links, the token's `geolocation` and
 * `iss`, the id token's `iss`, OpenID discovery) follows `X-Forwarded-Proto`/`X-Forwarded-Host`
 * from a trusted proxy (TRUST_PROXY) and ignores them from anyone else.
 */
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { TokenKeys } from '../../src/modules/oauth/keys/access-token.js';
import { SecretBox } from '../../src/security/secret-box.js';
import { useTestTenant } from '../helpers/app-fixture.js';
import {
  authorizeQuery,
  hiddenFields,
  REDIRECT_URI,
  redirectParams,
} from '../helpers/authorize-flow.js';
import type { Tenant, TestContext } from '../helpers/test-app.js';
import { auth, simpleTrip, TRIP_PATH, XML_TYPE } from '../helpers/trip-requests.js';
import { find, parseXml, text } from '../helpers/xml-tree.js';

const FORWARDED = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.com' };
const PROXY = 'https://api.example.com';
const DIRECT = 'http://localhost:80';

/** What a client sees through `headers` from `remoteAddress`. */
async function urlsSeen(
  context: TestContext,
  tenant: Tenant,
  headers: Record<string, string>,
  remoteAddress = '127.0.0.1',
) {
  const { app } = context;
  const grant = await app.inject({
    method: 'POST',
    url: '/oauth2/v0/token',
    remoteAddress,
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'password',
      client_id: tenant.app.clientId,
      client_secret: tenant.app.clientSecret,
      username: tenant.traveller.loginId,
      password: tenant.traveller.password,
      scope: 'openid ITINER',
    }).toString(),
  });
  expect(grant.statusCode, grant.body).toBe(200);
  const tokens = grant.json() as { access_token: string; id_token: string; geolocation: string };
  const post = () =>
    app.inject({
      method: 'POST',
      url: TRIP_PATH,
      remoteAddress,
      headers: { ...headers, ...auth(tokens.access_token), 'content-type': XML_TYPE },
      payload: simpleTrip('Proxied', 3, 4),
    });
  // Two trips, so that the one-item first page has a next page.
  await post();
  const posted = await post();
  expect(posted.statusCode, posted.body).toBe(200);
  const listed = await app.inject({
    method: 'GET',
    url: `${TRIP_PATH}?includeMetadata=true&ItemsPerPage=1&Page=1&createdAfterDate=2000-01-01`,
    remoteAddress,
    headers: { ...headers, ...auth(tokens.access_token) },
  });
  expect(listed.statusCode, listed.body).toBe(200);
  const discovery = await app.inject({
    url: '/.well-known/openid-configuration',
    remoteAddress,
    headers,
  });
  const oidc = discovery.json() as Record<string, string>;
  return {
    tripId: text(parseXml(posted.body), 'id'),
    nextPage: text(find(parseXml(listed.body), 'Metadata/Paging')!, 'NextPageURL'),
    geolocation: tokens.geolocation,
    accessIss: decodeJwt(tokens.access_token).iss,
    idIss: decodeJwt(tokens.id_token).iss,
    issuer: oidc.issuer,
    tokenEndpoint: oidc.token_endpoint,
    jwksUri: oidc.jwks_uri,
    authorizationEndpoint: oidc.authorization_endpoint,
    accessToken: tokens.access_token,
  };
}

/** Every URL starts with `base`, and the issuer is `base` itself. */
function expectAllAt(seen: Awaited<ReturnType<typeof urlsSeen>>, base: string) {
  expect(seen.tripId).toMatch(new RegExp(`^${base}${TRIP_PATH}/[\\w-]+`));
  expect(seen.nextPage).toMatch(new RegExp(`^${base}${TRIP_PATH}\\?`));
  expect(seen).toMatchObject({
    geolocation: base,
    accessIss: base,
    idIss: base,
    issuer: base,
    tokenEndpoint: `${base}/oauth2/v0/token`,
    jwksUri: `${base}/oauth2/v0/jwks`,
    authorizationEndpoint: `${base}/oauth2/v0/authorize`,
  });
}

/** The authorization code flow through `headers`: the form's action, the redirect, the id token. */
async function authorizeThrough(
  context: TestContext,
  tenant: Tenant,
  headers: Record<string, string>,
) {
  const { app } = context;
  const page = await app.inject({
    url: `/oauth2/v0/authorize?${authorizeQuery(tenant)}`,
    headers,
  });
  expect(page.statusCode, page.body).toBe(200);
  const signedIn = await app.inject({
    method: 'POST',
    url: '/oauth2/v0/authorize',
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      ...hiddenFields(page.body),
      login_id: tenant.traveller.loginId,
      password: tenant.traveller.password,
      action: 'allow',
    }).toString(),
  });
  const redirect = redirectParams(signedIn.headers.location as string | undefined);
  const exchanged = await app.inject({
    method: 'POST',
    url: '/oauth2/v0/token',
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: tenant.app.clientId,
      client_secret: tenant.app.clientSecret,
      code: redirect.get('code') ?? '',
      redirect_uri: REDIRECT_URI,
    }).toString(),
  });
  expect(exchanged.statusCode, exchanged.body).toBe(200);
  return {
    // Relative: the browser posts back to the host it was shown the page on.
    action: /<form method="post" action="([^"]*)"/.exec(page.body)?.[1],
    geolocation: redirect.get('geolocation'),
    idIss: decodeJwt((exchanged.json() as { id_token: string }).id_token).iss,
  };
}

function withApp(config: Partial<Config>, body: (get: () => [TestContext, Tenant]) => void) {
  let context: TestContext;
  let tenant: Tenant;
  useTestTenant({ config, tenant: { redirectUris: [REDIRECT_URI] } }, (given) => {
    ({ context, tenant } = given);
  });
  body(() => [context, tenant]);
}

describe('TRUST_PROXY=true', () => {
  withApp({ trustProxy: true }, (get) => {
    it("uses the forwarded scheme and host in every URL, and as the tokens' issuer", async () => {
      const [context, tenant] = get();
      expectAllAt(await urlsSeen(context, tenant, FORWARDED), PROXY);
    });

    it('sends the authorize page back to the forwarded host, with its geolocation and issuer', async () => {
      const [context, tenant] = get();
      expect(await authorizeThrough(context, tenant, FORWARDED)).toEqual({
        action: '/oauth2/v0/authorize',
        geolocation: PROXY,
        idIss: PROXY,
      });
    });

    it('uses the Host header when nothing is forwarded', async () => {
      const [context, tenant] = get();
      expectAllAt(await urlsSeen(context, tenant, {}), DIRECT);
    });

    it('accepts a token issued through the proxy on a direct call (any issuer of ours)', async () => {
      const [context, tenant] = get();
      const { accessToken } = await urlsSeen(context, tenant, FORWARDED);
      const direct = await context.app.inject({
        url: `${TRIP_PATH}?createdAfterDate=2000-01-01`,
        headers: auth(accessToken),
      });
      expect(direct.statusCode, direct.body).toBe(200);
    });
  });
});

describe('TRUST_PROXY unset', () => {
  withApp({ trustProxy: false }, (get) => {
    it('ignores X-Forwarded-Proto and X-Forwarded-Host', async () => {
      const [context, tenant] = get();
      expectAllAt(await urlsSeen(context, tenant, FORWARDED), DIRECT);
      expect(await authorizeThrough(context, tenant, FORWARDED)).toMatchObject({
        geolocation: DIRECT,
        idIss: DIRECT,
      });
    });
  });
});

describe('TRUST_PROXY=10.0.0.0/8', () => {
  withApp({ trustProxy: ['10.0.0.0/8'] }, (get) => {
    it('follows forwarded headers from a trusted address only', async () => {
      const [context, tenant] = get();
      expectAllAt(await urlsSeen(context, tenant, FORWARDED, '10.1.2.3'), PROXY);
      expectAllAt(await urlsSeen(context, tenant, FORWARDED, '192.0.2.7'), DIRECT);
    });
  });
});

describe('PUBLIC_BASE_URL set', () => {
  const base = 'https://itinera.example.com';
  withApp({ trustProxy: true, publicBaseUrl: base, tokenIssuer: base }, (get) => {
    it('uses it for every URL and as the issuer, whatever the request says', async () => {
      const [context, tenant] = get();
      expectAllAt(await urlsSeen(context, tenant, FORWARDED), base);
      expectAllAt(await urlsSeen(context, tenant, {}), base);
    });

    it('refuses a token of our own keys naming another issuer (a configured one is exact)', async () => {
      const [context, tenant] = get();
      const { accessToken } = await urlsSeen(context, tenant, {});
      const {
        iss: _iss,
        iat: _iat,
        exp: _exp,
        nbf: _nbf,
        jti: _jti,
        ...claims
      } = decodeJwt(accessToken);
      // Same keys, no configured issuer: as another instance would sign without TOKEN_ISSUER.
      const keys = await TokenKeys.load(
        context.database.db,
        undefined,
        SecretBox.fromConfig(context.config),
      );
      const elsewhere = await keys.sign(
        claims as Parameters<TokenKeys['sign']>[0],
        600,
        'https://evil.example',
      );
      expect(decodeJwt(elsewhere).iss).toBe('https://evil.example');
      const call = await context.app.inject({ url: TRIP_PATH, headers: auth(elsewhere) });
      expect(call.statusCode).toBe(403);
    });
  });
});
