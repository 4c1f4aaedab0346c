/**
 * How `itinera import` shows its progress: a bar with the rate and ETA when stdout is a
 * terminal (cli-progress), plain lines otherwise (at most one every few seconds, for logs).
 */
import cliProgress from 'cli-progress';
import type { ImportProgress } from '../modules/import/index.js';

/** Seconds between two plain progress lines. */
const LINE_INTERVAL_MS = 5_000;

export interface ProgressDisplay {
  update(progress: ImportProgress): void;
  stop(): void;
}

/** `1h02m`, `3m05s`, `12s`. */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600)
    return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/**
 * The progress display. `unit`: what `done` and `total` count (documents for a directory,
 * bytes for a file, whose documents are not counted ahead).
 */
export function progressDisplay(
  unit: 'documents' | 'bytes',
  start: ImportProgress,
  out: NodeJS.WriteStream = process.stdout,
): ProgressDisplay {
  const { total } = start;
  const began = Date.now();
  const rate = (p: ImportProgress) =>
    (p.documents - start.documents) / Math.max(0.001, (Date.now() - began) / 1000);
  const eta = (p: ImportProgress) => {
    const progressed = p.done - start.done;
    return progressed <= 0
      ? Number.NaN
      : ((total - p.done) * (Date.now() - began)) / progressed / 1000;
  };
  const of = (p: ImportProgress) =>
    unit === 'documents'
      ? `${p.documents}/${total}`
      : `${p.documents} (${total === 0 ? 100 : Math.floor((100 * p.done) / total)}% of the file)`;
  if (out.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format:
          ' {bar} {percentage}% | {count} docs | {rate} docs/s | rejected {rejected} | ETA {etaText}',
        hideCursor: true,
        stream: out,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, start.done, {
      count: start.documents,
      rate: 0,
      rejected: start.rejected,
      etaText: '?',
    });
    return {
      update: (p) =>
        bar.update(p.done, {
          count: p.documents,
          rate: Math.round(rate(p)),
          rejected: p.rejected,
          etaText: duration(eta(p)),
        }),
      stop: () => bar.stop(),
    };
  }
  let lastLine = 0;
  return {
    update(p) {
      const now = Date.now();
      if (now - lastLine < LINE_INTERVAL_MS && p.done < total) return;
      lastLine = now;
      out.write(
        `imported ${of(p)}, rejected ${p.rejected}, ${Math.round(rate(p))} docs/s, ETA ${duration(eta(p))}\n`,
      );
    },
    stop: () => {},
  };
}
