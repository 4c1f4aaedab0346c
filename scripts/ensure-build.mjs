/**
 * `npm run build` and the step before `npm start` and `npm test` (and after `npm install` /
 * `npm ci`, as `prepare`): compiles src/ into dist/ when dist/ is missing or stale, else does
 * nothing (a few milliseconds). `--force` always rebuilds.
 *
 * dist/ is emptied first, so that a source file deleted or renamed (a migration, say) leaves no
 * compiled copy behind that would still run.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { DIST, isBuildCurrent, ROOT, STAMP, sourceDigest } from './build-state.mjs';

const force = process.argv.includes('--force');
if (!force && isBuildCurrent()) process.exit(0);

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  console.error(
    'dist/ is missing or older than src/, and TypeScript is not installed to build it: ' +
      'run `npm ci` (with the development dependencies), then `npm run build`.',
  );
  process.exit(1);
}
const digest = sourceDigest();
fs.rmSync(DIST, { recursive: true, force: true });
const started = Date.now();
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
  cwd: ROOT,
  stdio: 'inherit',
});
if (result.status !== 0) {
  console.error('build failed: dist/ is left without a stamp, so it counts as stale');
  process.exit(result.status ?? 1);
}
fs.writeFileSync(STAMP, `${digest}\n`);
console.error(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
