/**
 * Every error a client can receive is Concur's `<Error>` (or Itinera's JSON error when the client
 * prefers JSON) with the `concur-correlationid` header, whoever raised it (issue 16): Fastify's
 * own refusals (content type, body size, JSON syntax, routing, query schemas, URLs) as well as the
 * HTTP parser's (oversized headers, bytes that are not HTTP), which never reach a route.
 */
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, useTestApp } from '../helpers/app-fixture.js';
import { TRIP_PATH } from '../helpers/trip-requests.js';
import { parseXml, text } from '../helpers/xml-tree.js';

let subject: TestApp;
useTestApp({ config: { bodyLimitBytes: 4096 } }, (given) => {
  subject = given;
});

interface Case {
  name: string;
  status: number;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS';
  url: string;
  headers?: Record<string, string>;
  payload?: string;
  /** What the message must say, where Fastify's own wording was wrong (issue 16). */
  message?: RegExp;
}

const CASES = (): Case[] => {
  // Called once when collecting (names only, no token yet) and again in each test.
  const auth = { authorization: `Bearer ${(subject as TestApp | undefined)?.token ?? ''}` };
  return [
    {
      name: 'a JSON body on an XML endpoint (415)',
      status: 415,
      method: 'POST',
      url: TRIP_PATH,
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{}',
    },
    {
      name: 'a content type no parser knows (415)',
      status: 415,
      method: 'POST',
      url: `${TRIP_PATH}/GetTrips`,
      headers: { ...auth, 'content-type': 'application/x-unknown' },
      payload: 'x',
      message: /^Unsupported Content-Type 'application\/x-unknown'/,
    },
    {
      name: 'a content type with control characters (415)',
      status: 415,
      method: 'POST',
      url: TRIP_PATH,
      headers: { ...auth, 'content-type': '\u0001bad' },
      payload: '<Itinerary/>',
      message: /^Unsupported Content-Type '\?bad'/,
    },
    {
      name: 'a body shorter than its Content-Length (400)',
      status: 400,
      method: 'POST',
      url: TRIP_PATH,
      headers: { ...auth, 'content-type': 'application/xml', 'content-length': '100' },
      payload: '<Itinerary/>',
      message: /does not have the length its Content-Length says/,
    },
    {
      name: 'a body over BODY_LIMIT_BYTES (413)',
      status: 413,
      method: 'POST',
      url: TRIP_PATH,
      headers: { ...auth, 'content-type': 'application/xml' },
      payload: `<Itinerary><Comments>${'x'.repeat(5000)}</Comments></Itinerary>`,
    },
    {
      name: 'malformed JSON (400)',
      status: 400,
      method: 'POST',
      url: `${TRIP_PATH}/GetTrips`,
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"ItemsPerPage":',
    },
    {
      name: 'an empty JSON body (400)',
      status: 400,
      method: 'POST',
      url: `${TRIP_PATH}/GetTrips`,
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '',
    },
    {
      name: 'malformed XML (400)',
      status: 400,
      method: 'POST',
      url: TRIP_PATH,
      headers: { ...auth, 'content-type': 'application/xml' },
      payload: '<Itinerary><TripName>x</Itinerary>',
    },
    { name: 'an unknown route (404)', status: 404, method: 'GET', url: '/no/such/route' },
    { name: 'a method the path does not have (404)', status: 404, method: 'PUT', url: TRIP_PATH },
    { name: 'DELETE on the v1.1 list (404)', status: 404, method: 'DELETE', url: TRIP_PATH },
    { name: 'OPTIONS (404)', status: 404, method: 'OPTIONS', url: TRIP_PATH },
    {
      name: 'a query parameter of the wrong type (400)',
      status: 400,
      method: 'GET',
      url: `${TRIP_PATH}?ItemsPerPage=many`,
      headers: auth,
    },
    {
      name: 'a path parameter over the router limit',
      status: 414,
      method: 'GET',
      url: `${TRIP_PATH}/${'a'.repeat(600)}`,
      headers: auth,
    },
    {
      name: 'a URL with broken percent-encoding (400)',
      status: 400,
      method: 'GET',
      url: `${TRIP_PATH}/%E0%A4%A`,
      headers: auth,
    },
    { name: 'no credentials (401)', status: 401, method: 'GET', url: TRIP_PATH },
    {
      name: 'a token that does not validate (403)',
      status: 403,
      method: 'GET',
      url: TRIP_PATH,
      headers: { authorization: 'Bearer x.y.z' },
    },
  ];
};

function correlationOf(response: LightMyRequestResponse): string {
  const id = response.headers['concur-correlationid'];
  expect(typeof id, 'concur-correlationid header').toBe('string');
  expect(String(id).length).toBeGreaterThan(0);
  return String(id);
}

describe('every error in the wire format, with the correlation id', () => {
  it.each(CASES().map((c) => [c.name, c] as const))('%s → <Error>', async (_name, given) => {
    // CASES is evaluated again here: the token exists only once the fixture has run.
    const c = CASES().find((x) => x.name === given.name) as Case;
    const response = await subject.context.app.inject({ ...c, headers: c.headers ?? {} });
    expect(response.statusCode, response.body).toBe(c.status);
    expect(response.headers['content-type']).toMatch(/^application\/xml/);
    const doc = parseXml(response.body);
    expect(doc.name).toBe('Error');
    expect(text(doc, 'Message')?.length).toBeGreaterThan(0);
    expect(text(doc, 'Code')?.length).toBeGreaterThan(0);
    expect(text(doc, 'Id')).toBe(correlationOf(response));
    if (c.message) expect(text(doc, 'Message')).toMatch(c.message);
  });

  it.each(CASES().map((c) => [c.name, c] as const))(
    '%s → JSON when asked',
    async (_name, given) => {
      const c = CASES().find((x) => x.name === given.name) as Case;
      const response = await subject.context.app.inject({
        ...c,
        headers: { ...(c.headers ?? {}), accept: 'application/json' },
      });
      expect(response.statusCode, response.body).toBe(c.status);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      const body = response.json() as { error: string; message: string; correlationId: string };
      expect(body.error.length).toBeGreaterThan(0);
      expect(body.message.length).toBeGreaterThan(0);
      expect(body.correlationId).toBe(correlationOf(response));
      if (c.message) expect(body.message).toMatch(c.message);
    },
  );
});

describe('errors of the HTTP parser, before any route', () => {
  let port = 0;
  beforeAll(async () => {
    await subject.context.app.listen({ port: 0, host: '127.0.0.1' });
    port = (subject.context.app.server.address() as AddressInfo).port;
  });
  afterAll(() => {
    subject.context.app.server.closeAllConnections();
  });

  /** Sends `raw` and resolves with everything answered until the server closes the socket. */
  function exchange(raw: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      let answer = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        answer += chunk;
      });
      socket.on('error', reject);
      socket.on('close', () => resolve(answer));
      socket.write(raw);
    });
  }

  it.each([
    [
      'headers over the limit',
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
    ],
    ['bytes that are not HTTP', 'HELLO THERE\r\n\r\n', 400],
    ['a bad header line', 'GET /healthz HTTP/1.1\r\nHost x\r\n\r\n', 400],
    [
      'a bad Content-Length',
      'POST /api/travel/trip/v1.1 HTTP/1.1\r\nHost: x\r\nContent-Length: ab\r\n\r\n',
      400,
    ],
  ])('%s → <Error> with the correlation id', async (_name, raw, status) => {
    const answer = await exchange(raw);
    expect(answer.startsWith(`HTTP/1.1 ${status} `), answer).toBe(true);
    expect(answer).toMatch(/content-type: application\/xml; charset=utf-8/i);
    const id = /concur-correlationid: ([^\r\n]+)/i.exec(answer)?.[1];
    expect(id).toBeTruthy();
    expect(answer).toContain(`<Id>${id}</Id>`);
  });
});
