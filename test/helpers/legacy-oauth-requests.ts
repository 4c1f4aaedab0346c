/**
 * Requests to Concur's pre-2017 OAuth endpoints (`/net2/oauth2/*.ashx`) as the doc's clients
 * make them: the native flow, the refresh and the revoke.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { children, parseXml, text } from './xml-tree.js';

export const LEGACY_PATH = '/net2/oauth2';

/** `Authorization: Basic` of a login id and password. */
export function basicAuth(loginId: string, password: string): string {
  return `Basic ${Buffer.from(`${loginId}:${password}`).toString('base64')}`;
}

/** The native flow: `GET accesstoken.ashx` with Basic credentials and `X-ConsumerKey`. */
export function legacySignIn(
  app: FastifyInstance,
  client: { clientId: string },
  user: { loginId: string; password: string },
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'GET',
    url: `${LEGACY_PATH}/accesstoken.ashx`,
    headers: {
      authorization: basicAuth(user.loginId, user.password),
      'x-consumerkey': client.clientId,
    },
  });
}

/** A native sign-in that must succeed: its access and refresh tokens. */
export async function signedIn(
  app: FastifyInstance,
  client: { clientId: string },
  user: { loginId: string; password: string },
): Promise<{ token: string; refreshToken: string }> {
  const response = await legacySignIn(app, client, user);
  expect(response.statusCode, response.body).toBe(200);
  const doc = parseXml(response.body);
  return {
    token: text(doc, 'Token') ?? '',
    refreshToken: children(doc, 'Refresh_Token')[0]?.text ?? '',
  };
}

/** The refresh: `GET getaccesstoken.ashx?refresh_token&client_id&client_secret`. */
export function legacyRefresh(
  app: FastifyInstance,
  client: { clientId: string; clientSecret: string },
  refreshToken: string,
): Promise<LightMyRequestResponse> {
  const query = new URLSearchParams({
    refresh_token: refreshToken,
    client_id: client.clientId,
    client_secret: client.clientSecret,
  });
  return app.inject({ method: 'GET', url: `${LEGACY_PATH}/getaccesstoken.ashx?${query}` });
}

/** The revoke: `POST revoketoken.ashx?…` with `Authorization: OAuth <token>`. */
export function legacyRevoke(
  app: FastifyInstance,
  token: string,
  query: Record<string, string>,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: `${LEGACY_PATH}/revoketoken.ashx?${new URLSearchParams(query)}`,
    headers: { authorization: `OAuth ${token}` },
  });
}
