/**
 * One attempt of the sender, without the worker: the URL it builds and what it refuses.
 */

import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deliveryUrl,
  type OutgoingNotification,
  sendNotification,
} from '../../src/modules/notifications/delivery/notification-sender.js';
import { Receiver } from '../helpers/delivery-receiver.js';
import { fixturePath } from '../helpers/reference-files.js';

let receiver: Receiver;
const notification: OutgoingNotification = {
  id: 'delivery-1',
  companyId: '3f1e0c1a-0000-4000-8000-000000000001',
  loginId: 'chris+travel@example.com',
  eventType: 'UPDATE',
  body: '<Notification/>',
  secret: 'whsec_test',
};
const strict = { timeoutMs: 2_000, allowPrivateTargets: false };
const lenient = { timeoutMs: 2_000, allowPrivateTargets: true };

beforeAll(async () => {
  receiver = await new Receiver().start();
});

afterAll(async () => {
  await receiver?.stop();
});

describe('deliveryUrl', () => {
  it("appends Concur's query, URL-encoded, after the app's own query kept as registered", () => {
    const url = deliveryUrl(
      'https://hooks.example.com/concur?tenant=a%20b&flag',
      notification.companyId,
      'chris+travel&co@example.com',
    );
    expect(url.search).toBe(
      '?tenant=a%20b&flag&type=itinerary' +
        `&oauth_token_key=${notification.companyId}` +
        '&userid_type=login&userid_value=chris%2Btravel%26co%40example.com',
    );
    expect(url.searchParams.get('userid_value')).toBe('chris+travel&co@example.com');
  });

  it('starts the query when the URL has none, and drops a fragment', () => {
    const url = deliveryUrl('http://hooks.example.com/in#part', 'c', 'u');
    expect(url.toString()).toBe(
      'http://hooks.example.com/in?type=itinerary&oauth_token_key=c&userid_type=login&userid_value=u#part',
    );
  });
});

describe('sendNotification', () => {
  it('delivers to a name that resolves to loopback when private targets are allowed', async () => {
    const result = await sendNotification(
      `http://localhost:${receiver.port}/named`,
      notification,
      lenient,
    );
    expect(result).toEqual({ ok: true, status: 200 });
    expect(receiver.requests.at(-1)?.headers.host).toBe(`localhost:${receiver.port}`);
  });

  it.each([
    ['http://localhost:PORT/x', 'localhost resolves to 127.0.0.1 (loopback)'],
    ['http://127.0.0.1:PORT/x', '127.0.0.1 resolves to 127.0.0.1 (loopback)'],
    ['http://[::1]:PORT/x', '::1 resolves to ::1 (loopback)'],
    ['http://[::ffff:127.0.0.1]:PORT/x', 'resolves to ::ffff:7f00:1 (loopback)'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 (link-local)'],
    ['http://10.1.2.3/', '10.1.2.3 (private)'],
    ['http://100.64.0.1/', '100.64.0.1 (shared (CGNAT))'],
    ['http://0.0.0.0:PORT/', '0.0.0.0 (unspecified)'],
    ['http://2130706433:PORT/', '127.0.0.1 (loopback)'],
  ])('refuses %s without sending', async (template, reason) => {
    const before = receiver.requests.length;
    const result = await sendNotification(
      template.replace('PORT', String(receiver.port)),
      notification,
      strict,
    );
    expect(result.ok).toBe(false);
    expect(result).toMatchObject({ status: null, code: 'private_target' });
    expect(!result.ok && result.error).toContain(reason);
    expect(!result.ok && result.error).toMatch(/^refused: .*private targets are not allowed$/);
    expect(receiver.requests.length).toBe(before);
  });

  it.each([
    [null, 'the app has no postback URL', 'no_postback_url'],
    ['not a url', 'the postback URL is not a valid URL', 'invalid_url'],
    ['ftp://files.example.com/drop', 'the postback URL is not http(s)', 'not_http'],
  ])('fails on the postback URL %s', async (url, error, code) => {
    expect(await sendNotification(url, notification, lenient)).toEqual({
      ok: false,
      status: null,
      error,
      code,
    });
  });
});

describe('sendNotification over TLS', () => {
  // A self-signed certificate for the name `localhost` only (test fixture, 100 years).
  const cert = fs.readFileSync(fixturePath('localhost.crt'));
  const key = fs.readFileSync(fixturePath('localhost.key'));
  const hosts: string[] = [];
  let server: https.Server;
  let port = 0;
  const agents = { http: new http.Agent(), https: new https.Agent({ ca: cert }) };

  beforeAll(async () => {
    server = https.createServer({ cert, key }, (request, response) => {
      hosts.push(String(request.headers.host));
      request.resume();
      request.on('end', () => response.end('ok'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    agents.https.destroy();
  });

  it('connects to the checked address but verifies the certificate for the host name', async () => {
    const result = await sendNotification(`https://localhost:${port}/tls`, notification, {
      ...lenient,
      agents,
    });
    expect(result).toEqual({ ok: true, status: 200 });
    expect(hosts.at(-1)).toBe(`localhost:${port}`);
  });

  it('fails when the certificate does not name the host connected to', async () => {
    const result = await sendNotification(`https://127.0.0.1:${port}/tls`, notification, {
      ...lenient,
      agents,
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID/);
  });
});
