/**
 * The commit `/version` reports, read from `.git` without running git: a branch's loose or
 * packed ref, a detached HEAD, a worktree's `.git` file; ITINERA_COMMIT first; null without a
 * repository.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readBuildInfo, readGitCommit } from './build-info.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A checkout folder with the given files (paths relative to it). */
function checkout(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-build-info-'));
  dirs.push(dir);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  fs.mkdirSync(path.join(dir, 'src', 'modules'), { recursive: true });
  return dir;
}

describe('readGitCommit', () => {
  it("follows HEAD to the branch's loose ref", () => {
    const dir = checkout({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.git/refs/heads/main': `${A}\n`,
    });
    expect(readGitCommit(dir)).toBe(A);
  });

  it('finds a packed ref', () => {
    const dir = checkout({
      '.git/HEAD': 'ref: refs/heads/release\n',
      '.git/packed-refs': `# pack-refs with: peeled fully-peeled sorted\n${B} refs/heads/main\n${C} refs/heads/release\n`,
    });
    expect(readGitCommit(dir)).toBe(C);
  });

  it('reads a detached HEAD', () => {
    const dir = checkout({ '.git/HEAD': `${B}\n` });
    expect(readGitCommit(dir)).toBe(B);
  });

  it("follows a worktree's .git file to its HEAD and the shared refs", () => {
    const main = checkout({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.git/refs/heads/main': `${A}\n`,
      '.git/refs/heads/wip': `${C}\n`,
      '.git/worktrees/wip/HEAD': 'ref: refs/heads/wip\n',
      '.git/worktrees/wip/commondir': '../..\n',
    });
    const worktree = checkout({
      '.git': `gitdir: ${path.join(main, '.git', 'worktrees', 'wip')}\n`,
    });
    expect(readGitCommit(worktree)).toBe(C);
  });

  it('answers null for a branch with no commit yet, or a folder that is no checkout', () => {
    const dir = checkout({ '.git/HEAD': 'ref: refs/heads/main\n' });
    expect(readGitCommit(dir)).toBeNull();
    expect(readGitCommit(path.join(dir, 'src'))).toBeNull();
  });
});

describe('readBuildInfo', () => {
  it("reads the package.json above it, its folder's commit, and prefers ITINERA_COMMIT", () => {
    const dir = checkout({
      'package.json': JSON.stringify({ name: 'itinera', version: '9.8.7' }),
      '.git/HEAD': `${A}\n`,
    });
    const from = path.join(dir, 'src', 'modules');
    expect(readBuildInfo(undefined, from)).toEqual({
      name: 'itinera',
      version: '9.8.7',
      commit: A,
    });
    expect(readBuildInfo(` ${B} `, from).commit).toBe(B);
  });

  it('reads the commit of the repository it runs from', () => {
    const info = readBuildInfo(undefined);
    expect(info.name).toBe('itinera');
    // This test runs from a checkout (CI clones one too).
    expect(info.commit).toMatch(/^[0-9a-f]{40}$/);
  });
});
