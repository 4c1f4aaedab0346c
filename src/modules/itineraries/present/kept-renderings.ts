/**
 * Answers rendered once and answered again as UTF-8 bytes, beside a kept read: a list page
 * (store/versioned-cache.ts hands the same `TripListResult` to every request it answers) or a
 * trip (store/trip-read-cache.ts, `OpenedTrip.readKey`). Kept in a WeakMap on that object, so
 * they go when it goes. Bytes rather than text: encoding 100 KB of text to UTF-8 on every answer
 * cost more than the rest of answering a kept page.
 */

/** Renderings kept per read: the base URLs and query spellings seen for one read are few. */
const RENDERINGS_PER_READ = 4;

const renderings = new WeakMap<object, Map<string, Buffer>>();

function keep(read: object, key: string, bytes: Buffer): Buffer {
  let forms = renderings.get(read);
  if (forms === undefined) {
    forms = new Map();
    renderings.set(read, forms);
  }
  if (forms.size >= RENDERINGS_PER_READ) {
    const oldest = forms.keys().next().value;
    if (oldest !== undefined) forms.delete(oldest);
  }
  forms.set(key, bytes);
  return bytes;
}

/**
 * The bytes of `render()` kept for `read` and `key` (what else shapes them: base URL, query), or
 * rendered now and kept, up to a few keys per read (the oldest goes first).
 */
export function keptRendering(read: object, key: string, render: () => string): Buffer {
  return renderings.get(read)?.get(key) ?? keep(read, key, Buffer.from(render(), 'utf8'));
}

/** `keptRendering` for a rendering that must first load what it renders. */
export async function keptRenderingOf(
  read: object,
  key: string,
  render: () => Promise<string>,
): Promise<Buffer> {
  return renderings.get(read)?.get(key) ?? keep(read, key, Buffer.from(await render(), 'utf8'));
}
