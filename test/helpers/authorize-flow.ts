/**
 * Drives the authorization code flow as a browser and a client would: GET the authorize page,
 * read its form, POST it, follow the redirect's query, exchange the code.
 */
import type { Tenant, TestContext } from './test-app.js';

export const REDIRECT_URI = 'https://client.example/callback';

/** The query of an authorize request for the tenant's app (override or drop with undefined). */
export function authorizeQuery(
  tenant: Tenant,
  overrides: Record<string, string | undefined> = {},
): string {
  const params: Record<string, string | undefined> = {
    client_id: tenant.app.clientId,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: 'openid ITINER',
    state: 'state-123',
    ...overrides,
  };
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) query.append(name, value);
  }
  return query.toString();
}

/** GET the authorize page (`query` from `authorizeQuery`). */
export function getAuthorize(context: TestContext, query: string) {
  return context.app.inject({ method: 'GET', url: `/oauth2/v0/authorize?${query}` });
}

function unescapeHtml(value: string): string {
  return value
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

/** The hidden fields of the sign-in form in a page. */
export function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[unescapeHtml(match[1] ?? '')] = unescapeHtml(match[2] ?? '');
  }
  return fields;
}

/** POST the sign-in form with its fields. */
export function postAuthorize(context: TestContext, fields: Record<string, string>) {
  return context.app.inject({
    method: 'POST',
    url: '/oauth2/v0/authorize',
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

/** The query parameters of a redirect's Location (asserting it goes to `base`). */
export function redirectParams(location: string | undefined, base = REDIRECT_URI) {
  if (!location?.startsWith(`${base}?`)) throw new Error(`unexpected redirect: ${location}`);
  return new URL(location).searchParams;
}

/** Signs a user in through the page and returns the code the redirect carries. */
export async function signInForCode(
  context: TestContext,
  tenant: Tenant,
  user: { loginId: string; password: string },
  overrides: Record<string, string | undefined> = {},
): Promise<string> {
  const page = await getAuthorize(context, authorizeQuery(tenant, overrides));
  if (page.statusCode !== 200) throw new Error(`authorize page: ${page.statusCode} ${page.body}`);
  const response = await postAuthorize(context, {
    ...hiddenFields(page.body),
    login_id: user.loginId,
    password: user.password,
    action: 'allow',
  });
  const code = redirectParams(response.headers.location as string | undefined).get('code');
  if (!code) throw new Error(`no code in ${response.headers.location}`);
  return code;
}

/** The token endpoint's answer to an authorization code exchange. */
export function exchangeCode(
  context: TestContext,
  tenant: Tenant,
  code: string,
  extra: Record<string, string> = {},
) {
  return context.app.inject({
    method: 'POST',
    url: '/oauth2/v0/token',
    payload: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: tenant.app.clientId,
      client_secret: tenant.app.clientSecret,
      code,
      redirect_uri: REDIRECT_URI,
      ...extra,
    }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

/** The token endpoint's answer to a refresh. */
export function refresh(context: TestContext, tenant: Tenant, refreshToken: string) {
  return context.app.inject({
    method: 'POST',
    url: '/oauth2/v0/token',
    payload: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: tenant.app.clientId,
      client_secret: tenant.app.clientSecret,
      refresh_token: refreshToken,
    }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}
