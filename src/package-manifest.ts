/**
 * The package.json of Itinera itself, found by walking up from this module: the code runs from
 * src/ (tsx) and bundled into dist/, at different depths, so no fixed relative path fits both.
 */
import fs from 'node:fs';
import path from 'node:path';

/** What Itinera reports about itself (`--version`, `/version`, the start-up line). */
export interface PackageManifest {
  name: string;
  version: string;
  /** The folder holding package.json: the installed package's root. */
  root: string;
}

let cached: PackageManifest | undefined;

/** The nearest package.json at or above `from` (default: this module's folder), read once. */
export function packageManifest(from: string = import.meta.dirname): PackageManifest {
  if (cached && from === import.meta.dirname) return cached;
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const { name, version } = JSON.parse(fs.readFileSync(file, 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      const manifest = {
        name: typeof name === 'string' ? name : 'itinera',
        version: typeof version === 'string' ? version : 'unknown',
        root: dir,
      };
      if (from === import.meta.dirname) cached = manifest;
      return manifest;
    }
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
