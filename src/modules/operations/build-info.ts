/**
 * What `/version` reports about the code: the package's name and version, and the commit it
 * was built from. Read once when the app is built, never per request (no git process at all).
 */
import fs from 'node:fs';
import path from 'node:path';

/** The package and commit of the running code. */
export interface BuildInfo {
  name: string;
  version: string;
  /** The commit's hash, or null when neither ITINERA_COMMIT nor a `.git` tells it. */
  commit: string | null;
}

const HASH = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** The nearest folder at or above `from` that holds `name`, and that entry's path. */
function findUp(from: string, name: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** A ref's hash: its loose file in the git folder or the common folder, else packed-refs. */
function resolveRef(gitDir: string, commonDir: string, ref: string): string | undefined {
  for (const dir of [gitDir, commonDir]) {
    const loose = readText(path.join(dir, ref));
    if (loose && HASH.test(loose)) return loose;
  }
  for (const line of (readText(path.join(commonDir, 'packed-refs')) ?? '').split('\n')) {
    const [hash, name] = line.trim().split(' ');
    if (name === ref && hash && HASH.test(hash)) return hash;
  }
  return undefined;
}

/**
 * The commit checked out in `root` (the package's folder): `.git/HEAD`, followed to its ref
 * (loose or packed). A `.git` file (a worktree or submodule) points to the real git folder,
 * whose `commondir` names where the shared refs are. Null when `root` is not a checkout (an
 * installed copy inside some other repository does not report that repository's commit).
 */
export function readGitCommit(root: string): string | null {
  const dotGit = path.join(root, '.git');
  if (!fs.existsSync(dotGit)) return null;
  let gitDir = dotGit;
  if (fs.statSync(dotGit).isFile()) {
    const pointer = /^gitdir:\s*(.+)$/m.exec(readText(dotGit) ?? '')?.[1];
    if (!pointer) return null;
    gitDir = path.resolve(path.dirname(dotGit), pointer.trim());
  }
  const common = readText(path.join(gitDir, 'commondir'));
  const commonDir = common ? path.resolve(gitDir, common) : gitDir;
  const head = readText(path.join(gitDir, 'HEAD'));
  if (!head) return null;
  if (HASH.test(head)) return head; // detached
  const ref = /^ref:\s*(\S+)$/.exec(head)?.[1];
  return (ref && resolveRef(gitDir, commonDir, ref)) ?? null;
}

/**
 * The build information, read once: the package.json above this file, and the commit from
 * ITINERA_COMMIT (config.commit: set by a deployment whose image has no `.git`) or else from the
 * checkout.
 */
export function readBuildInfo(
  configuredCommit: string | undefined,
  from: string = import.meta.dirname,
): BuildInfo {
  const manifest = findUp(from, 'package.json');
  const { name, version } = manifest
    ? (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string; version?: string })
    : {};
  const fromEnv = configuredCommit?.trim();
  return {
    name: name ?? 'itinera',
    version: version ?? 'unknown',
    commit: fromEnv ? fromEnv : manifest ? readGitCommit(path.dirname(manifest)) : null,
  };
}
