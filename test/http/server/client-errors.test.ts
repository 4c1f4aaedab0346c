/**
 * Slow and broken clients (issue 16): a request whose body stalls is answered 408 and closed
 * within about a second of REQUEST_TIMEOUT_MS; the HTTP parser's own errors (oversized headers,
 * bytes that are not HTTP) answer Concur's `<Error>` with a correlation id, never Fastify's JSON.
 */

import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, useTestApp } from '../../helpers/app-fixture.js';

let subject: TestApp;
useTestApp(
  { config: { requestTimeoutMs: 1_000, headersTimeoutMs: 1_000, keepAliveTimeoutMs: 1_000 } },
  (given) => {
    subject = given;
  },
);

let port = 0;
beforeAll(async () => {
  await subject.context.app.listen({ port: 0, host: '127.0.0.1' });
  port = (subject.context.app.server.address() as AddressInfo).port;
});
afterAll(async () => {
  // The fixture closes the app; connections left open by a failed test must not hold it.
  subject.context.app.server.closeAllConnections();
});

/** Sends `raw` and resolves with everything answered until the server closes the socket. */
function exchange(raw: string, { end = false } = {}): Promise<{ text: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => resolve({ text, ms: Date.now() - started }));
    socket.write(raw);
    if (end) socket.end();
  });
}

function expectXmlError(text: string, status: number, code: string) {
  expect(text.startsWith(`HTTP/1.1 ${status} `), text).toBe(true);
  expect(text).toMatch(/content-type: application\/xml; charset=utf-8/i);
  expect(text).toMatch(/concur-correlationid: [0-9a-f-]{36}/i);
  expect(text).toContain(`<Code>${code}</Code>`);
  expect(text).toMatch(/<Error><Message>[^<]+<\/Message>/);
}

describe('clients the HTTP parser refuses', () => {
  it('answers 408 in <Error> and closes a request whose body stalls', async () => {
    const { text, ms } = await exchange(
      'POST /api/travel/trip/v1.1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/xml\r\n' +
        `Authorization: Bearer ${subject.token}\r\n` +
        'Content-Length: 1000\r\n\r\n<Itinerary>',
    );
    expectXmlError(text, 408, 'request_timeout');
    // REQUEST_TIMEOUT_MS plus Node's one-second check, with room for a loaded machine.
    expect(ms).toBeLessThan(10_000);
  });

  it('answers 408 to headers that never end', async () => {
    const { text } = await exchange('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    expectXmlError(text, 408, 'request_timeout');
  });

  it('answers 431 in <Error> to headers over the limit', async () => {
    const { text } = await exchange(
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expectXmlError(text, 431, 'headers_too_large');
  });

  it('answers 400 in <Error> to bytes that are not HTTP', async () => {
    const { text } = await exchange('HELLO THERE\r\n\r\n');
    expectXmlError(text, 400, 'bad_request');
  });

  it('still serves a well-formed request', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(response.status).toBe(200);
  });
});
