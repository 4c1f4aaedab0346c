/**
 * The receiver's signature check in docs/NOTIFICATIONS.md, run as written against the
 * signatures Itinera makes: it must accept them and refuse tampered, stale or forged ones.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeaderValue } from '../../src/modules/notifications/delivery/notification-signing.js';
import { REPO_ROOT } from '../helpers/reference-files.js';

type Verify = (secret: string, header: unknown, body: string, tolerance?: number) => boolean;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-doc-'));
let verify: Verify;

beforeAll(async () => {
  const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs/NOTIFICATIONS.md'), 'utf8');
  const code = /```js\n([\s\S]*?)```/.exec(doc)?.[1];
  expect(code).toContain('export function verifyItineraSignature');
  const file = path.join(dir, 'verify.mjs');
  fs.writeFileSync(file, code as string);
  verify = ((await import(file)) as { verifyItineraSignature: Verify }).verifyItineraSignature;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('docs/NOTIFICATIONS.md signature check', () => {
  const secret = 'whsec_test-secret';
  const body =
    '<?xml version="1.0" encoding="utf-8"?><Notification><TripId>é</TripId></Notification>';
  const now = () => Math.floor(Date.now() / 1000);

  it('accepts what Itinera signs', () => {
    expect(verify(secret, signatureHeaderValue(secret, now(), body), body)).toBe(true);
  });

  it('refuses another body, another secret, a stale or missing timestamp, junk', () => {
    const header = signatureHeaderValue(secret, now(), body);
    expect(verify(secret, header, body.replace('é', 'e'))).toBe(false);
    expect(verify('whsec_other', header, body)).toBe(false);
    expect(verify(secret, signatureHeaderValue(secret, now() - 600, body), body)).toBe(false);
    expect(verify(secret, header.replace(/^t=\d+,/, ''), body)).toBe(false);
    expect(verify(secret, undefined, body)).toBe(false);
    expect(verify(secret, 't=abc,v1=zz', body)).toBe(false);
  });
});
