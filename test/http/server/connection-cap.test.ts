/**
 * MAX_CONNECTIONS_PER_IP (issue 16): one address holding its share of connections cannot open
 * more, and a connection it closes frees its place at once.
 */

import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, useTestApp } from '../../helpers/app-fixture.js';

let subject: TestApp;
useTestApp({ config: { maxConnectionsPerIp: 2 } }, (given) => {
  subject = given;
});

let port = 0;
beforeAll(async () => {
  await subject.context.app.listen({ port: 0, host: '127.0.0.1' });
  port = (subject.context.app.server.address() as AddressInfo).port;
});
afterAll(() => {
  subject.context.app.server.closeAllConnections();
});

/** Opens a socket and resolves once it is connected. */
function open(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

/** Sends a GET on `socket` and resolves with the status line, or `closed` if the server hung up. */
function statusOf(socket: net.Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('\r\n')) resolve(text.slice(0, text.indexOf('\r\n')));
    });
    socket.on('error', () => resolve('closed'));
    socket.on('close', () => resolve(text ? text.slice(0, text.indexOf('\r\n')) : 'closed'));
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  });
}

describe('MAX_CONNECTIONS_PER_IP', () => {
  it('closes the connection over the cap and lets one in again when a place frees', async () => {
    const first = await open();
    const second = await open();
    const third = await open();
    expect(await statusOf(third)).toBe('closed');
    // The two within the cap are served.
    expect(await statusOf(first)).toBe('HTTP/1.1 200 OK');
    expect(await statusOf(second)).toBe('HTTP/1.1 200 OK');

    first.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const fourth = await open();
    expect(await statusOf(fourth)).toBe('HTTP/1.1 200 OK');
    second.destroy();
    fourth.destroy();
  });
});
