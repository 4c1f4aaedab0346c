/**
 * The delivery worker against a real receiver on 127.0.0.1: what a delivery carries, and how
 * each kind of failure is recorded and retried.
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
  verifySignature,
} from '../helpers/delivery-receiver.js';
import type { TestContext } from '../helpers/test-app.js';
import { waitFor } from '../helpers/wait-for.js';

const TIMEOUT_MS = 500;
let context: TestContext;
let receiver: Receiver;
let to: Subscriber;

// The receiver starts before the app and stops after it (afterAll hooks run in reverse).
beforeAll(async () => {
  receiver = await new Receiver().start();
});
afterAll(async () => {
  await receiver?.stop();
});
useTestTenant(
  {
    config: {
      notificationDelivery: true,
      notificationAllowPrivateTargets: true,
      notificationTimeoutMs: TIMEOUT_MS,
    },
    build: { notificationWorker: { pollIntervalMs: 20, backoffBaseMs: 100, backoffCapMs: 200 } },
  },
  async ({ context: given, tenant }) => {
    context = given;
    to = await subscriberOf(
      context.database.db,
      tenant.app.clientId,
      tenant.traveller.loginId,
      receiver.url('/hooks/itinera?app=ours&x=a%20b'),
    );
  },
);

beforeEach(async () => {
  receiver.handler = (_request, response) => response.end('ok');
  await setPostbackUrl(context.database.db, to.appId, receiver.url('/hooks/itinera?app=ours'));
});

function row(id: string): Promise<NotificationRow | undefined> {
  return context.database.db
    .selectFrom('notifications')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
}

async function queue(overrides: Parameters<typeof outboxRow>[1] = {}): Promise<string> {
  const notification = outboxRow(to, overrides);
  await insertNotifications(context.database.db, [notification]);
  return notification.id;
}

function settled(id: string, status: NotificationRow['status']) {
  return waitFor(
    async () => {
      const found = await row(id);
      return found?.status === status ? found : undefined;
    },
    10_000,
    `notification ${id} ${status}`,
  );
}

function attempted(id: string, attempts: number) {
  return waitFor(
    async () => {
      const found = await row(id);
      return found && found.attempts >= attempts && found.claimed_by === null ? found : undefined;
    },
    10_000,
    `notification ${id} attempted ${attempts} times`,
  );
}

describe('notification delivery', () => {
  it('POSTs the body once to the postback URL with the Concur query, headers and a signature', async () => {
    const id = await queue();
    const delivered = await settled(id, 'delivered');
    await new Promise((r) => setTimeout(r, 200));
    const [request, ...more] = receiver.forId(id);
    expect(more).toHaveLength(0);
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/hooks/itinera');
    expect([...(request?.query ?? [])]).toEqual([
      ['app', 'ours'],
      ['type', 'itinerary'],
      ['oauth_token_key', to.companyId],
      ['userid_type', 'login'],
      ['userid_value', to.loginId],
    ]);
    expect(request?.headers).toMatchObject({
      'content-type': 'application/xml',
      'itinera-delivery-id': id,
      'itinera-event-type': 'CREATE',
      'user-agent': expect.stringMatching(/^Itinera/),
    });
    expect(request?.body).toBe(delivered.body);
    const secret = await notificationSigningSecret(
      context.database.db,
      SecretBox.fromConfig(context.config),
      to.appId,
    );
    const signature = String(request?.headers['itinera-signature']);
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature(signature, request?.body ?? '', secret)).toBe(true);
    expect(verifySignature(signature, `${request?.body} `, secret)).toBe(false);
    expect(delivered).toMatchObject({
      attempts: 1,
      last_status: 200,
      last_error: null,
      claimed_by: null,
      claimed_until: null,
    });
    expect(delivered.delivered_at).toBeGreaterThanOrEqual(delivered.created_at);
  });

  it('retries a 500 and delivers on the next attempt, with the same delivery id', async () => {
    let calls = 0;
    receiver.handler = (_request, response) => {
      response.statusCode = ++calls === 1 ? 500 : 200;
      response.end();
    };
    const id = await queue();
    const delivered = await settled(id, 'delivered');
    expect(delivered).toMatchObject({ attempts: 2, last_status: 200, last_error: null });
    expect(receiver.forId(id)).toHaveLength(2);
  });

  it('records a refused connection and keeps retrying', async () => {
    await setPostbackUrl(context.database.db, to.appId, `http://127.0.0.1:${await closedPort()}/`);
    const id = await queue();
    const failed = await attempted(id, 2);
    expect(failed).toMatchObject({
      status: 'pending',
      last_status: null,
      last_error: 'connection refused',
    });
    expect(failed.next_attempt_at).toBeGreaterThanOrEqual(failed.last_attempt_at ?? 0);
  });

  it('gives up an attempt at the timeout when the receiver is slower, and retries', async () => {
    receiver.handler = (_request, response) => {
      setTimeout(() => response.end('late'), 5_000).unref();
    };
    const started = Date.now();
    const id = await queue();
    const failed = await attempted(id, 1);
    expect(failed.last_error).toBe(`timed out after ${TIMEOUT_MS} ms`);
    expect(failed.status).toBe('pending');
    expect((failed.last_attempt_at ?? 0) - started).toBeLessThan(3_000);
    await attempted(id, 2);
    expect(receiver.forId(id).length).toBeGreaterThanOrEqual(2);
  });

  it('does not follow a redirect: a 3xx is a failure', async () => {
    receiver.handler = (_request, response) => {
      response.writeHead(302, { location: receiver.url('/elsewhere') });
      response.end();
    };
    const id = await queue();
    const failed = await attempted(id, 1);
    expect(failed).toMatchObject({ status: 'pending', last_status: 302 });
    expect(failed.last_error).toMatch(/redirect .*302.* not followed/);
    expect(receiver.requests.some((r) => r.path === '/elsewhere')).toBe(false);
  });

  it('reads only the start of a huge answer and still counts a 2xx as delivered', async () => {
    let written = 0;
    let cutOff = false;
    receiver.handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      response.once('close', () => {
        cutOff = !response.writableFinished;
      });
      const pump = () => {
        while (written < 200 * 1024 * 1024 && !response.destroyed) {
          written += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        response.end();
      };
      pump();
    };
    const id = await queue();
    const delivered = await settled(id, 'delivered');
    expect(delivered).toMatchObject({ attempts: 1, last_status: 200 });
    await waitFor(() => cutOff, 5_000, 'the receiver to see the connection dropped');
    expect(written).toBeLessThan(200 * 1024 * 1024);
  });

  it('marks a notification past its maximum age dead after a failed attempt', async () => {
    receiver.handler = (_request, response) => {
      response.statusCode = 503;
      response.end();
    };
    const now = Date.now();
    const expired = await queue({ created_at: now - 1000, expires_at: now - 1 });
    const soon = await queue({ expires_at: now + 400 });
    const dead = await settled(expired, 'dead');
    expect(dead).toMatchObject({ attempts: 1, last_status: 503, last_error: 'HTTP 503' });
    const later = await settled(soon, 'dead');
    expect(later.attempts).toBeGreaterThanOrEqual(2);
    expect(later.last_attempt_at).toBeGreaterThanOrEqual(now + 400);
  });

  it('waits out the lease of a worker that claimed a row and died, then delivers it', async () => {
    const leaseEnd = Date.now() + 700;
    const id = await queue({ claimed_by: 'crashed-worker', claimed_until: leaseEnd });
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.forId(id)).toHaveLength(0);
    const delivered = await settled(id, 'delivered');
    expect(receiver.forId(id)[0]?.at).toBeGreaterThanOrEqual(leaseEnd);
    expect(delivered).toMatchObject({ attempts: 1, claimed_by: null });
  });

  it('records an app without a postback URL as a failure to retry', async () => {
    await setPostbackUrl(context.database.db, to.appId, null);
    const id = await queue();
    const failed = await attempted(id, 1);
    expect(failed).toMatchObject({
      status: 'pending',
      last_error: 'the app has no postback URL',
    });
    // The app registers a URL: the pending notification goes there.
    await setPostbackUrl(context.database.db, to.appId, receiver.url('/fixed'));
    await settled(id, 'delivered');
    expect(receiver.forId(id).at(-1)?.path).toBe('/fixed');
  });
});

describe('notification delivery without private targets', () => {
  let strict: TestContext;
  let target: Subscriber;

  useTestTenant(
    {
      config: { notificationDelivery: true, notificationTimeoutMs: TIMEOUT_MS },
      build: { notificationWorker: { pollIntervalMs: 20, backoffBaseMs: 5_000 } },
    },
    async ({ context, tenant }) => {
      strict = context;
      target = await subscriberOf(
        strict.database.db,
        tenant.app.clientId,
        tenant.traveller.loginId,
        receiver.url('/strict'),
      );
    },
  );

  it('refuses a loopback postback URL, records why and sends nothing', async () => {
    const notification = outboxRow(target);
    await insertNotifications(strict.database.db, [notification]);
    const failed = await waitFor(async () => {
      const found = await strict.database.db
        .selectFrom('notifications')
        .selectAll()
        .where('id', '=', notification.id)
        .executeTakeFirst();
      return found && found.attempts === 1 && found.claimed_by === null ? found : undefined;
    });
    expect(failed.status).toBe('pending');
    expect(failed.last_error).toBe(
      'refused: 127.0.0.1 resolves to 127.0.0.1 (loopback); private targets are not allowed',
    );
    expect(receiver.requests.some((r) => r.path === '/strict')).toBe(false);
  });
});
