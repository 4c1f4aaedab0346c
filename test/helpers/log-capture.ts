/**
 * The app's log lines, captured: pass `capture.stream` as the `logStream` build option and
 * read the parsed lines (or the raw text, to check that something appears nowhere).
 */
export interface LogLine {
  level: number;
  msg?: string;
  [field: string]: unknown;
}

/** pino's numeric levels. */
export const LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const;

export class LogCapture {
  readonly raw: string[] = [];
  /** A pino destination: one JSON line per write. */
  readonly stream = { write: (line: string) => void this.raw.push(line) };

  get lines(): LogLine[] {
    return this.raw.map((line) => JSON.parse(line) as LogLine);
  }

  /** Every captured line, as one text. */
  get text(): string {
    return this.raw.join('');
  }

  /** The lines with this message. */
  withMessage(msg: string): LogLine[] {
    return this.lines.filter((line) => line.msg === msg);
  }
}
