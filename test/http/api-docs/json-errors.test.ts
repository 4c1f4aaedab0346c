/**
 * Any endpoint answers its error as JSON when the client prefers JSON (`Accept`, q-values
 * honoured), with the same status, stable code and message as the XML `<Error>` it answers
 * otherwise: 404 route not found, 401, 403, 415, 413, 400 validation, 404 trip.
 */
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { prefersJson } from '../../../src/http/error-handler.js';
import { useTestApp } from '../../helpers/app-fixture.js';
import type { TestContext } from '../../helpers/test-app.js';
import { auth, TRIP_PATH, tripXml } from '../../helpers/trip-requests.js';
import { parseXml, text } from '../../helpers/xml-tree.js';

const BODY_LIMIT = 4096;
let context: TestContext;
let token: string;
useTestApp({ config: { bodyLimitBytes: BODY_LIMIT } }, (given) => {
  ({ context, token } = given);
});

interface Case {
  name: string;
  status: number;
  code: string;
  request: () => {
    method: 'GET' | 'POST';
    url: string;
    headers?: Record<string, string>;
    payload?: string;
  };
}

const CASES: Case[] = [
  {
    name: 'an unknown route',
    status: 404,
    code: 'not_found',
    request: () => ({ method: 'GET', url: '/api/travel/nothing' }),
  },
  {
    name: 'no token',
    status: 401,
    code: 'unauthorized',
    request: () => ({ method: 'GET', url: `${TRIP_PATH}/abc` }),
  },
  {
    name: 'a bad token',
    status: 403,
    code: 'forbidden',
    request: () => ({ method: 'GET', url: TRIP_PATH, headers: auth('not.a.token') }),
  },
  {
    name: 'a JSON body on an XML route',
    status: 415,
    code: 'unsupported_media_type',
    request: () => ({
      method: 'POST',
      url: TRIP_PATH,
      headers: { ...auth(token), 'content-type': 'application/json' },
      payload: '{"TripName":"x"}',
    }),
  },
  {
    name: 'a body over the limit',
    status: 413,
    code: 'payload_too_large',
    request: () => ({
      method: 'POST',
      url: TRIP_PATH,
      headers: { ...auth(token), 'content-type': 'application/xml' },
      payload: tripXml({ name: 'x'.repeat(BODY_LIMIT) }),
    }),
  },
  {
    name: 'a bad query value',
    status: 400,
    code: 'bad_request',
    request: () => ({ method: 'GET', url: `${TRIP_PATH}?ItemsPerPage=lots`, headers: auth(token) }),
  },
  {
    name: 'an unknown trip',
    status: 404,
    code: 'trip_not_found',
    request: () => ({ method: 'GET', url: `${TRIP_PATH}/no-such-trip`, headers: auth(token) }),
  },
];

function send(request: ReturnType<Case['request']>, accept?: string) {
  const headers = { ...request.headers, ...(accept ? { accept } : {}) };
  return context.app.inject({ ...request, headers });
}

function xmlError(response: LightMyRequestResponse) {
  expect(response.headers['content-type']).toMatch(/^application\/xml/);
  const doc = parseXml(response.body);
  expect(doc.name).toBe('Error');
  return { code: text(doc, 'Code'), message: text(doc, 'Message'), id: text(doc, 'Id') };
}

describe('errors as JSON', () => {
  for (const c of CASES) {
    it(`answers ${c.name} (${c.status}) as JSON on request, with the XML form's code and message`, async () => {
      const json = await send(c.request(), 'application/json');
      expect(json.statusCode, json.body).toBe(c.status);
      expect(json.headers['content-type']).toMatch(/^application\/json/);
      const body = json.json();
      expect(body).toMatchObject({
        error: c.code,
        correlationId: json.headers['concur-correlationid'],
      });
      const xml = await send(c.request());
      expect(xml.statusCode, xml.body).toBe(c.status);
      const error = xmlError(xml);
      expect(error.code).toBe(c.code);
      // The same message, but for the request's own id where a message quotes the URL.
      expect(body.message).toBe(error.message);
      if (c.status === 401)
        expect(json.headers['www-authenticate']).toBe(xml.headers['www-authenticate']);
    });
  }

  it('honours q-values: JSON only when it ranks above XML', async () => {
    const notFound = { method: 'GET' as const, url: '/nowhere' };
    const kinds: Array<[string, 'json' | 'xml']> = [
      ['application/xml;q=0.5, application/json', 'json'],
      ['text/html, application/json;q=0.9, */*;q=0.1', 'json'],
      ['application/json;q=0.5, application/xml', 'xml'],
      ['application/json;q=0', 'xml'],
      ['application/json, application/xml', 'xml'],
      ['*/*', 'xml'],
      ['application/*', 'xml'],
    ];
    for (const [accept, kind] of kinds) {
      const response = await send(notFound, accept);
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type'], accept).toMatch(
        kind === 'json' ? /^application\/json/ : /^application\/xml/,
      );
    }
    expect(prefersJson(undefined)).toBe(false);
    expect(prefersJson('APPLICATION/JSON; Q=1.0')).toBe(true);
    expect(prefersJson('application/json;q=abc')).toBe(false);
  });

  it('keeps the OAuth error shape on the token endpoint whatever Accept says', async () => {
    const response = await context.app.inject({
      method: 'POST',
      url: '/oauth2/v0/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/xml' },
      payload: 'grant_type=password',
    });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.json()).toHaveProperty('error_description');
  });
});
