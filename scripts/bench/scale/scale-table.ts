/**
 * The scale benchmark's summary: one table, a row per scenario and a column per data-set size,
 * each cell Itinera's req/s, p99, the share of the bare server's req/s and the verdict.
 */
import { type Measured, type ScaleTarget, targetText, verdictOf } from './scale-load.js';

/** What one size of the scale benchmark measured. */
export interface SizeResult {
  size: number;
  trips: number;
  import: { seconds: number; imported: number; merged: number; rejected: number };
  rows: Map<string, { name: string; target: ScaleTarget; measured: Measured }>;
  /** Peak over the run, bytes, all Itinera server processes (primary + workers). */
  rssPeak: number;
  rssAnonPeak: number;
  /** PSS summed over the same processes at the RSS peak (0: smaps_rollup unreadable). */
  pssAtPeak: number;
  processes: number;
  clusterStartMs: number;
  coldStartMs: number[];
  /** The 1-minute load average before and after the scenarios (other work skews every figure). */
  load: [number, number];
}

/** RSS target of issue 15 (MB = 10^6 bytes), and cold start target of issue 11. */
export const RSS_TARGET_MB = 300;
export const COLD_START_TARGET_MS = 1000;

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 2 : 1) : '-');

/** 10000 → 10k, 1000000 → 1M. */
export function sizeLabel(size: number): string {
  if (size >= 1_000_000 && size % 1_000_000 === 0) return `${size / 1_000_000}M`;
  if (size >= 1_000 && size % 1_000 === 0) return `${size / 1_000}k`;
  return String(size);
}

function cell(measured: Measured, target: ScaleTarget): string {
  const { itinera, bare } = measured;
  const verdict = verdictOf(target, measured);
  return (
    `${int(itinera.rps)} req/s, p99 ${ms(itinera.p99)} ms, ` +
    `${Math.round((100 * itinera.rps) / bare.rps)} % of bare ${int(bare.rps)}` +
    (measured.cpuMsPerRequest === undefined
      ? ''
      : `, ${measured.cpuMsPerRequest.toFixed(2)} CPU ms/req`) +
    (verdict ? ` ${verdict}` : '')
  );
}

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[values.length >> 1] ?? Number.NaN;
}

/** Prints the table (Markdown) and returns the names of the rows with a target not met. */
export function printScaleTable(
  results: readonly SizeResult[],
  title: string,
  embedded: boolean,
): string[] {
  const first = results[0];
  if (!first) return [];
  const header = ['scenario', 'target', ...results.map((r) => `${sizeLabel(r.size)} trips`)];
  const lines: string[][] = [];
  const missed = new Set<string>();
  for (const [key, row] of first.rows) {
    lines.push([
      row.name,
      targetText(row.target),
      ...results.map((r) => {
        const entry = r.rows.get(key);
        if (!entry) return '-';
        const text = cell(entry.measured, entry.target);
        if (/NOT MET|FAIL/.test(text)) missed.add(row.name);
        return text;
      }),
    ]);
  }
  lines.push([
    'import (itinera import)',
    '(report)',
    ...results.map(
      (r) =>
        `${int(r.import.imported)} docs in ${r.import.seconds.toFixed(1)} s, ` +
        `${int(r.import.imported / r.import.seconds)} docs/s, ${int(r.import.merged)} merged, ` +
        `${r.import.rejected} rejected`,
    ),
  ]);
  lines.push([
    'RSS, all server processes',
    embedded ? `<= ${RSS_TARGET_MB} MB (at 1M)` : '(report)',
    ...results.map((r) => {
      const mb = r.rssPeak / 1e6;
      if (embedded && mb > RSS_TARGET_MB) missed.add('RSS');
      return (
        `${int(mb)} MB peak (${r.processes} processes; anonymous ${int(r.rssAnonPeak / 1e6)} MB; ` +
        `PSS ${r.pssAtPeak > 0 ? int(r.pssAtPeak / 1e6) : '-'} MB)` +
        (embedded ? (mb <= RSS_TARGET_MB ? ' PASS' : ' NOT MET') : '')
      );
    }),
  ]);
  lines.push([
    'cold start, 1 worker, existing DB',
    embedded ? `<= ${COLD_START_TARGET_MS} ms (issue 11)` : '(report)',
    ...results.map((r) => {
      const worst = Math.max(...r.coldStartMs);
      if (embedded && worst > COLD_START_TARGET_MS) missed.add('cold start');
      return (
        `${int(median(r.coldStartMs))} ms median, ${int(worst)} max; cluster ${int(r.clusterStartMs)} ms` +
        (embedded ? (worst <= COLD_START_TARGET_MS ? ' PASS' : ' NOT MET') : '')
      );
    }),
  ]);
  lines.push([
    'load average (1 min), before / after',
    '(report)',
    ...results.map((r) => `${r.load[0].toFixed(2)} / ${r.load[1].toFixed(2)}`),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const render = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\n${title}\n`);
  console.log(render(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const line of lines) console.log(render(line));
  console.log(
    `\nTrips stored during the reads: ${results.map((r) => `${sizeLabel(r.size)}: ${int(r.trips)}`).join(', ')}.`,
  );
  for (const r of results) {
    for (const row of r.rows.values()) {
      if (row.measured.remark)
        console.log(`${sizeLabel(r.size)}, ${row.name}: ${row.measured.remark}`);
    }
  }
  return [...missed];
}
