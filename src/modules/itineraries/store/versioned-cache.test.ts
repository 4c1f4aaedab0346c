import { describe, expect, it } from 'vitest';
import { VersionedCache } from './versioned-cache.js';

/** A cache of `{ n }` pages over a stub version; `reads` counts what was read afresh. */
function harness(maxBytes = 1000, size = 100) {
  const state = { version: 'v1' as string | undefined, reads: 0 };
  const cache = new VersionedCache<{ n: number }>(maxBytes, () => size);
  const get = (key: string) =>
    cache.through(
      key,
      async () => state.version,
      async () => {
        state.reads += 1;
        return { n: state.reads };
      },
    );
  return { state, get };
}

describe('VersionedCache', () => {
  it('answers the kept page while the version is unchanged, the same object each time', async () => {
    const { state, get } = harness();
    const first = await get('a');
    expect(await get('a')).toBe(first);
    expect(state.reads).toBe(1);
  });

  it('reads afresh once the version changes, and keeps that page', async () => {
    const { state, get } = harness();
    await get('a');
    state.version = 'v2';
    expect(await get('a')).toEqual({ n: 2 });
    expect(await get('a')).toEqual({ n: 2 });
    expect(state.reads).toBe(2);
  });

  it('keeps pages per key', async () => {
    const { get } = harness();
    expect(await get('a')).toEqual({ n: 1 });
    expect(await get('b')).toEqual({ n: 2 });
    expect(await get('a')).toEqual({ n: 1 });
  });

  it('keeps nothing without a version or without a budget', async () => {
    const unknown = harness();
    unknown.state.version = undefined;
    await unknown.get('a');
    await unknown.get('a');
    expect(unknown.state.reads).toBe(2);
    const none = harness(0);
    await none.get('a');
    await none.get('a');
    expect(none.state.reads).toBe(2);
  });

  it('stays within its budget, dropping the least recently used page', async () => {
    const { state, get } = harness(250, 100);
    await get('a');
    await get('b');
    await get('a');
    await get('c'); // 300 bytes would pass 250: 'b' goes
    expect(state.reads).toBe(3);
    await get('a');
    expect(state.reads).toBe(3);
    await get('b');
    expect(state.reads).toBe(4);
  });
});
