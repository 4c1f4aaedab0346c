/**
 * Renderings of trip documents, by trip id, trip version and presentation (format, base URL,
 * whether the login id is shown). A trip's version changes with every write, so an entry can
 * never be served for a newer trip; old versions simply age out. Bounded by total size.
 */

/** Enough for a few thousand typical trips (5–10 KB each). */
const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

export class RenderedTripCache {
  private readonly entries = new Map<string, string>();
  private bytes = 0;

  constructor(private readonly maxBytes = DEFAULT_MAX_BYTES) {}

  /** The key of one rendering. */
  static key(tripId: string, version: number, variant: string): string {
    return `${tripId}\u0000${version}\u0000${variant}`;
  }

  /** A cached rendering, refreshed as most recently used. */
  get(key: string): string | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  /** Stores a rendering, evicting the least recently used ones past the size bound. */
  set(key: string, value: string): void {
    if (value.length * 2 > this.maxBytes) return;
    const previous = this.entries.get(key);
    if (previous !== undefined) {
      this.bytes -= previous.length * 2;
      this.entries.delete(key);
    }
    this.entries.set(key, value);
    this.bytes += value.length * 2;
    for (const [oldest, text] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= text.length * 2;
    }
  }
}
