/**
 * `npm run build` and the step before `npm start` and `npm test` (and after `npm install` /
 * `npm ci`, as `prepare`): bundles src/ into dist/ when dist/ is missing or stale, else does
 * nothing (a few milliseconds). `--force` always rebuilds.
 *
 * One bundle (esbuild), not a file per module: node then reads and links a few files instead
 * of several hundred, which halves the time from start to the first answer (issue 11's cold
 * start, measured by `npm run bench`). Type checking is `npm run typecheck` (tsc), as before.
 * The SQLite driver is a native addon and stays outside the bundle, as does pg's optional
 * native binding, and so do the OpenAPI plugins (the docs page reads its own files). Dependencies are inside it, so the lock file is part of the digest.
 *
 * dist/ is emptied first, so that nothing from an earlier build is left to run.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DIST, isBuildCurrent, ROOT, STAMP, sourceDigest } from './build-state.mjs';

const force = process.argv.includes('--force');
if (!force && isBuildCurrent()) process.exit(0);

let esbuild;
try {
  esbuild = await import(createRequire(import.meta.url).resolve('esbuild'));
} catch {
  console.error(
    'dist/ is missing or older than src/, and esbuild is not installed to build it: ' +
      'run `npm ci` (with the development dependencies), then `npm run build`.',
  );
  process.exit(1);
}
const digest = sourceDigest();
fs.rmSync(DIST, { recursive: true, force: true });
const started = Date.now();
try {
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { cli: 'src/cli.ts' },
    outdir: DIST,
    bundle: true,
    // Commands load their code when run (src/cli/commands.ts): separate chunks keep `--help`
    // and `--version` from parsing the server.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // The docs page serves its files from its own package folder (found through __dirname), so
    // it and the document plugin load from node_modules, as the SQLite driver does; so do the
    // calendar's VTIMEZONE files (@touch4it/ical-timezones reads them next to its own code).
    external: [
      'better-sqlite3',
      'pg-native',
      '@fastify/swagger',
      '@fastify/swagger-ui',
      '@touch4it/ical-timezones',
    ],
    // CommonJS dependencies inside an ES module bundle still call require().
    banner: {
      js: "import { createRequire as __itineraRequire } from 'node:module'; const require = __itineraRequire(import.meta.url);",
    },
    keepNames: true,
    sourcemap: 'linked',
    logLevel: 'warning',
  });
} catch {
  console.error('build failed: dist/ is left without a stamp, so it counts as stale');
  process.exit(1);
}
latin1Output(DIST);
fs.writeFileSync(STAMP, `${digest}\n`);
console.error(
  `built ${path.relative(ROOT, DIST)}/ in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);

/**
 * V8 holds each loaded script's source for the life of the process: one byte per character when
 * every character fits in Latin-1, else two for the whole file. esbuild escapes non-ASCII
 * characters in string literals but leaves them in comments, regular expressions and tagged
 * templates, so a single `—` in a comment doubled a 2 MB chunk in every worker (issue 15).
 * Escaping them as `\\uXXXX` keeps every chunk one byte per character: in a comment it changes
 * nothing, and in a regular expression or a template's (cooked) text it is the same character.
 * Left as it is, with a note: a file where a character follows a backslash (its escape would
 * change meaning) or that uses `String.raw` (which reads a template's text as written). In the
 * source maps, a line holding an escaped character maps its later columns a little off.
 */
function latin1Output(dir) {
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith('.js')) continue;
    const file = path.join(dir, name);
    const text = fs.readFileSync(file, 'utf8');
    if (!/[^\0-\xff]/.test(text)) continue;
    if (/\\[^\0-\xff]/.test(text) || text.includes('String.raw')) {
      console.error(`note: ${name} keeps characters beyond Latin-1 (two bytes per character)`);
      continue;
    }
    const escaped = (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    fs.writeFileSync(file, text.replace(/[^\0-\xff]/g, escaped));
  }
}
