import { describe, expect, it } from 'vitest';
import { RenderedTripCache } from './rendered-trip.cache.js';

describe('RenderedTripCache', () => {
  it('keys renderings by trip, version and variant', () => {
    const cache = new RenderedTripCache();
    cache.set(RenderedTripCache.key('t1', 1, 'concur'), '<v1/>');
    expect(cache.get(RenderedTripCache.key('t1', 1, 'concur'))).toBe('<v1/>');
    expect(cache.get(RenderedTripCache.key('t1', 2, 'concur'))).toBeUndefined();
    expect(cache.get(RenderedTripCache.key('t1', 1, 'tripit'))).toBeUndefined();
  });

  it('evicts the least recently used entries past its size bound', () => {
    const cache = new RenderedTripCache(100); // 100 bytes: two 20-character strings fit
    cache.set('a', 'x'.repeat(20));
    cache.set('b', 'y'.repeat(20));
    expect(cache.get('a')).toBeDefined(); // a is now the most recent
    cache.set('c', 'z'.repeat(20));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
    cache.set('huge', 'h'.repeat(60));
    expect(cache.get('huge')).toBeUndefined();
  });
});
