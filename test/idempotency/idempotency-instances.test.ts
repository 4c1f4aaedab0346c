/**
 * Idempotency across instances: two apps on one database (two connection pools, as two
 * Itinera instances or cluster workers have) coordinate through the key's row. Concurrent
 * duplicates sent to both make one trip and get one answer; a retry on the other instance
 * replays it.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { useTestTenant } from '../helpers/app-fixture.js';
import { type Tenant, type TestContext, tokenFor } from '../helpers/test-app.js';
import { everyTripId, postTrip, simpleTrip } from '../helpers/trip-requests.js';

let context: TestContext;
let tenant: Tenant;
let token: string;
let other: FastifyInstance;

useTestTenant((given) => {
  ({ context, tenant } = given);
});
beforeAll(async () => {
  token = await tokenFor(context, tenant, tenant.traveller);
  // Its own pool on the same database; closing the app leaves that to us.
  const database = context.connectAgain();
  other = await buildApp(context.config, { database });
  other.addHook('onClose', async () => database.close());
});
afterAll(async () => {
  await other?.close();
});

describe('one Idempotency-Key, two instances', () => {
  it('makes one trip of concurrent duplicates spread over both, all answered alike', async () => {
    const key = `instances-${Date.now()}`;
    const xml = simpleTrip('Two instances', 3, 4);
    const before = (await everyTripId(context.app, token)).length;
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        postTrip(i % 2 === 0 ? context.app : other, token, xml, {}, { 'idempotency-key': key }),
      ),
    );
    for (const answer of answers) expect(answer.statusCode, answer.body).toBe(200);
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(new Set(answers.map((a) => a.headers.etag)).size).toBe(1);
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
    expect((await everyTripId(other, token)).length).toBe(before + 1);
  });

  it('replays on one instance the answer the other gave', async () => {
    const key = `replay-${Date.now()}`;
    const xml = simpleTrip('Across', 3, 4);
    const first = await postTrip(context.app, token, xml, {}, { 'idempotency-key': key });
    expect(first.statusCode, first.body).toBe(200);
    const second = await postTrip(other, token, xml, {}, { 'idempotency-key': key });
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toBe(first.body);
  });
});
