/**
 * `workerExecArgv`: a cluster worker gets the primary's own node options, then our V8 flags,
 * except those the operator already set on node's command line or in NODE_OPTIONS (theirs win).
 */
import { describe, expect, it } from 'vitest';
import { WORKER_V8_FLAGS, workerExecArgv } from '../../src/start/worker-flags.js';

describe('workerExecArgv', () => {
  it('adds our flags after the primary’s own options', () => {
    expect(workerExecArgv(['--import', 'tsx'], undefined)).toEqual([
      '--import',
      'tsx',
      ...WORKER_V8_FLAGS,
    ]);
    expect(workerExecArgv([], '')).toEqual([...WORKER_V8_FLAGS]);
    expect(WORKER_V8_FLAGS).toContain('--max-semi-space-size=8');
  });

  it('leaves a flag out when NODE_OPTIONS sets it, in either spelling', () => {
    expect(workerExecArgv([], '--max-semi-space-size=16')).toEqual([]);
    expect(workerExecArgv([], '--enable-source-maps  --max_semi_space_size=8')).toEqual([]);
  });

  it('leaves a flag out when node’s command line sets it', () => {
    expect(workerExecArgv(['--max-semi-space-size=2'], undefined)).toEqual([
      '--max-semi-space-size=2',
    ]);
  });

  it('keeps the flag beside unrelated options', () => {
    expect(workerExecArgv([], '--max-old-space-size=512 --max-semi-space')).toEqual([
      ...WORKER_V8_FLAGS,
    ]);
  });
});
