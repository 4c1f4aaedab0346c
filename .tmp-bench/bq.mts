import SQLite from 'better-sqlite3';

const probe = new SQLite(':memory:');
const proto = Object.getPrototypeOf(probe.prepare('select 1'));
const stats = new Map<string, { n: number; ns: bigint }>();
for (const m of ['run', 'all', 'get', 'iterate']) {
  const orig = proto[m];
  proto[m] = function (this: { source: string }, ...args: unknown[]) {
    const t = process.hrtime.bigint();
    try {
      return orig.apply(this, args);
    } finally {
      const k = this.source.slice(0, 110);
      const s = stats.get(k) ?? { n: 0, ns: 0n };
      s.n++;
      s.ns += process.hrtime.bigint() - t;
      stats.set(k, s);
    }
  };
}
process.on('exit', () => {
  const rows = [...stats.entries()].sort((a, b) => Number(b[1].ns - a[1].ns)).slice(0, 15);
  for (const [k, s] of rows)
    console.log(
      String(Number(s.ns / BigInt(s.n)) / 1000).padStart(8),
      'µs',
      String(s.n).padStart(6),
      k,
    );
});
await import('./bp2.mts');
