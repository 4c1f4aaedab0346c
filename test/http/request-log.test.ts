/**
 * The request log line: method, path, parameter names, status and time, never query values,
 * credentials or bodies.
 */
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app-fixture.js';
import { LogCapture } from '../helpers/log-capture.js';
import type { Tenant, TestContext } from '../helpers/test-app.js';

const capture = new LogCapture();
let context: TestContext;
let tenant: Tenant;
let token: string;
useTestApp({ config: { logLevel: 'debug' }, build: { logStream: capture.stream } }, (given) => {
  ({ context, tenant, token } = given);
});

describe('the request log line', () => {
  it('logs the path and parameter names, not the values', async () => {
    const before = capture.raw.length;
    const response = await context.app.inject({
      method: 'GET',
      url: '/api/travel/trip/v1.1?loginid=alice@acme.example&userid_value=alice%40acme.example',
      headers: { authorization: `Bearer ${token}`, cookie: 'session=c00k1e' },
    });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    const lines = capture.lines.slice(before).filter((line) => line.msg === 'request');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      method: 'GET',
      url: '/api/travel/trip/v1.1?loginid=[redacted]&userid_value=[redacted]',
      status: response.statusCode,
    });
    const text = capture.raw.slice(before).join('');
    expect(text).not.toContain('alice');
    expect(text).not.toContain(token);
    expect(text).not.toContain('c00k1e');
  });

  it('logs no login id, password or secret of a sign-in', async () => {
    const before = capture.raw.length;
    const response = await context.app.inject({
      method: 'POST',
      url: '/oauth2/v0/token',
      payload: new URLSearchParams({
        grant_type: 'password',
        client_id: tenant.app.clientId,
        client_secret: tenant.app.clientSecret,
        username: tenant.traveller.loginId,
        password: 'wrong-password',
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.statusCode).toBe(400);
    const text = capture.raw.slice(before).join('');
    expect(text).toContain('"url":"/oauth2/v0/token"');
    expect(text).not.toContain(tenant.traveller.loginId);
    expect(text).not.toContain('wrong-password');
    expect(text).not.toContain(tenant.app.clientSecret);
  });

  it("redacts credentials and errors' data fields wherever they are logged", () => {
    const before = capture.raw.length;
    const error = Object.assign(new Error('duplicate key value violates unique constraint'), {
      detail: 'Key (login_id)=(alice@acme.example) already exists.',
    });
    context.app.log.error({ err: error }, 'unexpected error');
    context.app.log.warn(
      { headers: { authorization: 'Bearer s3cr3t', cookie: 'sid=c00k1e' } },
      'a request',
    );
    const text = capture.raw.slice(before).join('');
    expect(text).toContain('duplicate key value');
    expect(text).toContain('[redacted]');
    expect(text).not.toMatch(/alice|s3cr3t|c00k1e/);
  });
});
