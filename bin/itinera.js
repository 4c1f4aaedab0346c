#!/usr/bin/env node
// `npx itinera …`: runs the compiled CLI (dist/, built by `npm install`, `npm ci` and
// `npm run build`) when it matches the sources; otherwise, in a working copy being edited, runs
// the TypeScript sources through tsx, so that a command never runs code older than the tree.
import { isBuildCurrent } from '../scripts/build-state.mjs';

if (isBuildCurrent()) {
  await import('../dist/cli.js');
} else {
  let tsx;
  try {
    tsx = await import('tsx/esm/api');
  } catch {
    console.error('dist/ is missing or older than src/: run `npm run build` first.');
    process.exit(1);
  }
  tsx.register();
  await import('../src/cli.ts');
}
