/**
 * Whether dist/ (the compiled JavaScript that `npm start` and `npx itinera` run) was built from
 * the source tree as it is now. The build writes a stamp, dist/.build-stamp, holding a digest of
 * every bundled source file, the build settings and the locked dependencies; a different digest
 * means dist/ is stale.
 * A digest rather than file times: `git checkout` and copies change times, not contents.
 *
 * Plain JavaScript, so that it runs before anything is compiled (bin/itinera.js, prestart).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const DIST = path.join(ROOT, 'dist');
export const STAMP = path.join(DIST, '.build-stamp');

function sourceFiles(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(full);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
    })
    .sort();
}

/**
 * The digest of what the build bundles: src/**\/*.ts (not tests), the build script and the
 * lock file (the dependencies bundled with them).
 */
export function sourceDigest() {
  const hash = createHash('sha256');
  const files = [
    ...sourceFiles(path.join(ROOT, 'src')),
    path.join(ROOT, 'scripts', 'ensure-build.mjs'),
    path.join(ROOT, 'package-lock.json'),
  ];
  for (const file of files) {
    hash.update(path.relative(ROOT, file));
    hash.update('\0');
    hash.update(fs.readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** True when dist/ exists and was built from the current sources. */
export function isBuildCurrent() {
  try {
    return fs.readFileSync(STAMP, 'utf8').trim() === sourceDigest();
  } catch {
    return false;
  }
}
