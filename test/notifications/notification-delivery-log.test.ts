/**
 * What the delivery worker logs of each attempt: the host, the status or failure code, the
 * attempt number and the next retry; never the postback URL's path or query, the body or the
 * signature.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NotificationRow } from '../../src/db/database.js';
import { notificationSigningSecret } from '../../src/modules/notifications/delivery/notification-signing.js';
import { insertNotifications } from '../../src/modules/notifications/notification.repository.js';
import { SecretBox } from '../../src/security/secret-box.js';
import { useTestTenant } from '../helpers/app-fixture.js';
import {
  closedPort,
  outboxRow,
  Receiver,
  type Subscriber,
  setPostbackUrl,
  subscriberOf,
} from '../helpers/delivery-receiver.js';
import { LEVEL, LogCapture, type LogLine } from '../helpers/log-capture.js';
import type { TestContext } from '../helpers/test-app.js';
import { waitFor } from '../helpers/wait-for.js';

const capture = new LogCapture();
let context: TestContext;
let receiver: Receiver;
let to: Subscriber;
const PATH = '/hooks/private-path?token=app-s3cr3t';

beforeAll(async () => {
  receiver = await new Receiver().start();
});
afterAll(async () => {
  await receiver?.stop();
});
useTestTenant(
  {
    config: {
      logLevel: 'debug',
      notificationDelivery: true,
      notificationAllowPrivateTargets: true,
      notificationTimeoutMs: 500,
    },
    build: {
      notificationWorker: { pollIntervalMs: 20, backoffBaseMs: 100, backoffCapMs: 200 },
      logStream: capture.stream,
    },
  },
  async ({ context: given, tenant }) => {
    context = given;
    to = await subscriberOf(
      context.database.db,
      tenant.app.clientId,
      tenant.traveller.loginId,
      receiver.url(PATH),
    );
  },
);

beforeEach(async () => {
  receiver.handler = (_request, response) => response.end('ok');
  await setPostbackUrl(context.database.db, to.appId, receiver.url(PATH));
});

async function queue(overrides: Parameters<typeof outboxRow>[1] = {}): Promise<NotificationRow> {
  const notification = outboxRow(to, overrides);
  await insertNotifications(context.database.db, [notification]);
  return notification as NotificationRow;
}

function linesOf(id: string, msg: string, count = 1): Promise<LogLine[]> {
  return waitFor(
    () => {
      const found = capture.withMessage(msg).filter((line) => line.notification === id);
      return found.length >= count ? found : undefined;
    },
    10_000,
    `${count} '${msg}' lines for ${id}`,
  );
}

async function expectNothingPrivate(notification: NotificationRow): Promise<void> {
  const text = capture.text;
  const secret = await notificationSigningSecret(
    context.database.db,
    SecretBox.fromConfig(context.config),
    to.appId,
  );
  expect(text).not.toContain('private-path');
  expect(text).not.toContain('s3cr3t');
  expect(text).not.toContain('userid_value');
  expect(text).not.toContain(to.loginId);
  expect(text).not.toContain(notification.trip_id);
  expect(text).not.toContain(secret);
  expect(text).not.toContain('v1=');
}

describe('delivery attempt logs', () => {
  it('logs a failed attempt at warn with host, status, attempt and next retry; success at debug', async () => {
    let calls = 0;
    receiver.handler = (_request, response) => {
      response.statusCode = ++calls === 1 ? 500 : 200;
      response.end();
    };
    const notification = await queue();
    const [failed] = await linesOf(notification.id, 'notification delivery failed; will retry');
    expect(failed).toMatchObject({
      level: LEVEL.warn,
      app: to.appId,
      host: `127.0.0.1:${receiver.port}`,
      status: 500,
      code: 'http_status',
      attempt: 1,
    });
    expect(Date.parse(String(failed?.nextAttemptAt))).toBeGreaterThan(Date.now() - 60_000);
    const [delivered] = await linesOf(notification.id, 'notification delivered');
    expect(delivered).toMatchObject({ level: LEVEL.debug, status: 200, attempt: 2 });
    await expectNothingPrivate(notification);
  });

  it('logs a network failure with its error code', async () => {
    const port = await closedPort();
    await setPostbackUrl(context.database.db, to.appId, `http://127.0.0.1:${port}${PATH}`);
    const notification = await queue();
    const [failed] = await linesOf(notification.id, 'notification delivery failed; will retry');
    expect(failed).toMatchObject({
      level: LEVEL.warn,
      host: `127.0.0.1:${port}`,
      status: null,
      code: 'ECONNREFUSED',
      attempt: 1,
    });
    await expectNothingPrivate(notification);
  });

  it('logs giving up at error', async () => {
    receiver.handler = (_request, response) => {
      response.statusCode = 503;
      response.end();
    };
    const now = Date.now();
    const notification = await queue({ created_at: now - 1000, expires_at: now - 1 });
    const [dead] = await linesOf(
      notification.id,
      'notification delivery failed; given up (past its maximum age)',
    );
    expect(dead).toMatchObject({
      level: LEVEL.error,
      host: `127.0.0.1:${receiver.port}`,
      status: 503,
      code: 'http_status',
      attempt: 1,
    });
    expect(dead).not.toHaveProperty('nextAttemptAt');
    await expectNothingPrivate(notification);
  });
});
