/**
 * The package version, for `itinera --version`. The CLI runs from src/ (tsx) and compiled from
 * dist/; this file is src/cli/version.ts or dist/cli/version.js, so package.json is two levels up
 * in both cases.
 */
import fs from 'node:fs';

/** The `version` of the package.json at the repository root. */
export function packageVersion(): string {
  const file = new URL('../../package.json', import.meta.url);
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: unknown };
  if (typeof manifest.version !== 'string') throw new Error(`no version in ${file.pathname}`);
  return manifest.version;
}
