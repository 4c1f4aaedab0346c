import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Tests that spawn processes (the CLI, `npm start`, several servers or workers): most of the
 * suite's time. Find new ones with `grep -lE "spawn|fork|execFile|child_process" -r test src`.
 */
const SLOW = [
  'test/cli.test.ts',
  'test/backup-restore.test.ts',
  'test/readme.test.ts',
  'test/server-start.test.ts',
  'test/npm-start.test.ts',
  'test/itineraries/bookings/booking-processes.test.ts',
  'test/itineraries/erase/erase-cli.test.ts',
  'test/import/import-cli.test.ts',
  'test/notifications/notification-processes.test.ts',
  'test/notifications/notification-secret-cli.test.ts',
  'test/notifications/readme-notifications.test.ts',
  'test/operations/cluster-metrics.test.ts',
  'test/start/serve-startup.test.ts',
  'test/start/descriptor-exhaustion.test.ts',
  'test/reliability/sigkill-durability.test.ts',
  'test/web/web-browser.test.ts',
  'test/bench/scale-bench-run.test.ts',
];

/** Files under test/ that need no database, no app and no process, as colocated tests. */
const PURE = [
  'test/architecture.test.ts',
  'test/config.test.ts',
  'test/notifications/notification-retry.test.ts',
  'test/notifications/signature-example.test.ts',
  'test/start/startup-errors.test.ts',
];

export default defineConfig({
  test: {
    // Each test file gets its own database (file or schema), so files run in parallel safely.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    allowOnly: !process.env.CI,
    // `vitest run` runs all three; `--project unit` (npm run test:unit) only the first.
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['src/**/*.test.ts', ...PURE] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...PURE, ...SLOW],
        },
      },
      {
        extends: true,
        test: { name: 'slow', include: SLOW },
      },
    ],
  },
});
