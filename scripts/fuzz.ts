/**
 * `npm run fuzz`: sends seeded hostile and mutated documents, ids, query parameters and headers
 * to every write endpoint of an app on a fresh database (SQLite, or PostgreSQL with
 * DB_DIALECT=postgres and TEST_DATABASE_URL), and checks each answer (docs/RELIABILITY.md):
 * no 5xx, none slower than 2 s (OAuth and password endpoints: plus twice their scrypt work as
 * measured on this machine, and slow twice), no internals leaked, nothing written by a refused
 * request.
 *
 *   npm run fuzz -- [--seed N] [--count N] [--target NAME ...] [--limit-ms N]
 *
 * The seed is printed; a failure is replayed with the same seed. Exit status 1 on any failure.
 */
import { parseArgs } from 'node:util';
import { runFuzz } from '../test/fuzz/fuzz-run.js';
import { seedFuzzWorld, TARGETS } from '../test/fuzz/fuzz-targets.js';
import { buildTestApp, testDialect } from '../test/helpers/test-app.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    count: { type: 'string', default: '3000' },
    target: { type: 'string', multiple: true },
    'limit-ms': { type: 'string', default: '2000' },
  },
  strict: true,
});

const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const count = Number(values.count);
if (!Number.isInteger(seed) || !Number.isInteger(count) || count < 0) {
  console.error('--seed and --count take whole numbers');
  process.exit(2);
}
const unknown = (values.target ?? []).filter((name) => !TARGETS.some((t) => t.name === name));
if (unknown.length) {
  console.error(
    `unknown target ${unknown.join(', ')}; targets: ${TARGETS.map((t) => t.name).join(', ')}`,
  );
  process.exit(2);
}

console.log(`fuzz: seed ${seed}, ${count} cases, ${testDialect()}`);
const context = await buildTestApp();
try {
  const world = await seedFuzzWorld(context);
  const report = await runFuzz(context.app, context.database, world, {
    seed,
    count,
    limitMs: Number(values['limit-ms']),
    ...(values.target ? { targets: values.target } : {}),
    onCase: (index) => {
      if ((index + 1) % 500 === 0) console.log(`  ${index + 1} cases`);
    },
  });
  const refusedBaseline = report.baseline.filter((b) => b.status >= 400);
  console.log(
    `baseline (valid requests): ${report.baseline.map((b) => `${b.target} ${b.status}`).join(', ')}`,
  );
  console.log(`by status: ${JSON.stringify(report.byStatus)}`);
  console.log(`by mutation: ${JSON.stringify(report.byMutation)}`);
  console.log(
    `refused requests checked for writes: ${report.refusedChecked}; unsendable: ${report.unsendable}`,
  );
  console.log(
    `scrypt: ${report.scryptMs.start} ms at the start; highest for a slow answer: ${report.scryptMs.highest || 'none measured'}`,
  );
  console.log('slowest:');
  for (const c of report.slowest)
    console.log(`  #${c.index} ${c.target} [${c.mutations.join(', ')}] ${c.status} in ${c.ms} ms`);
  console.log(`${report.failures.length} failures in ${(report.elapsedMs / 1000).toFixed(1)} s`);
  for (const f of report.failures.slice(0, 50)) {
    console.log(`  #${f.index} ${f.target} [${f.mutations.join(', ')}] ${f.status} in ${f.ms} ms`);
    for (const problem of f.problems) console.log(`    ${problem}`);
  }
  if (refusedBaseline.length)
    console.log(`valid requests refused: ${refusedBaseline.map((b) => b.target).join(', ')}`);
  process.exitCode = report.failures.length || refusedBaseline.length ? 1 : 0;
} finally {
  await context.close();
}
