/**
 * The database metrics: every write unit of work is timed (`itinera_db_write_duration_seconds`),
 * and on SQLite a statement that finds another connection holding the write lock is retried
 * and counted (`itinera_db_busy_retries_total`), while scrapes still answer.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { dbBusyRetries } from '../../src/observability/metrics.js';
import { useTestContext } from '../helpers/app-fixture.js';
import { sampleSum } from '../helpers/metrics-text.js';
import { type TestContext, testDialect } from '../helpers/test-app.js';
import { waitFor } from '../helpers/wait-for.js';

let context: TestContext;
useTestContext({ config: { metricsPublic: true } }, (given) => {
  context = given;
});

async function metric(name: string): Promise<number> {
  const response = await context.app.inject({ method: 'GET', url: '/metrics' });
  expect(response.statusCode).toBe(200);
  return sampleSum(response.body, name);
}

const WRITES = 'itinera_db_write_duration_seconds_count';
const RETRIES = 'itinera_db_busy_retries_total';

function countCompanies(context: TestContext) {
  return context.database.write('metrics-test', (trx) =>
    trx
      .selectFrom('companies')
      .select((eb) => eb.fn.countAll().as('n'))
      .execute(),
  );
}

describe('database metrics', () => {
  it('times each write unit of work, failed ones included', async () => {
    const before = await metric(WRITES);
    await countCompanies(context);
    await expect(
      context.database.write('metrics-test', async () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect((await metric(WRITES)) - before).toBe(2);
  });

  it.skipIf(testDialect() !== 'sqlite')(
    'counts retries while another connection holds the write lock',
    async () => {
      const before = await metric(RETRIES);
      const other = context.connectAgain();
      try {
        let release!: () => void;
        const released = new Promise<void>((resolve) => {
          release = resolve;
        });
        let locked!: () => void;
        const isLocked = new Promise<void>((resolve) => {
          locked = resolve;
        });
        // Another connection (as another process has) takes the write lock and keeps it.
        const holder = other.db.connection().execute(async (connection) => {
          await sql`begin immediate`.execute(connection);
          locked();
          await released;
          await sql`commit`.execute(connection);
        });
        await isLocked;
        const write = countCompanies(context);
        // Read from the registry: a scrape's outbox read would queue behind the waiting write
        // on the app's one connection (and answer NaN after its timeout).
        const retries = async () => (await dbBusyRetries.get()).values[0]?.value ?? 0;
        await waitFor(async () => (await retries()) > before, 5_000, 'a busy retry');
        // A scrape still answers meanwhile, the outbox gauges unknown rather than late.
        const scrape = await context.app.inject({ method: 'GET', url: '/metrics' });
        expect(scrape.statusCode).toBe(200);
        expect(scrape.body).toMatch(/^itinera_notification_outbox_pending nan$/im);
        release();
        await holder;
        await write;
      } finally {
        await other.close();
      }
      expect(await metric(RETRIES)).toBeGreaterThan(before);
    },
  );
});
