/**
 * `itinera import PATH` (docs/IMPORT.md): loads trips and bookings from a directory of XML
 * files, an NDJSON file or an XML stream file through the API's services (src/modules/import),
 * as the app `--client` acting for the company `--company`. Resumable: run it again after a kill
 * and it goes on after its last commit.
 */
import fs from 'node:fs';
import { loadConfig } from '../config.js';
import { AppError } from '../errors.js';
import {
  type ImportOutcome,
  ImportService,
  openImportSource,
  type Rejection,
  readUserMap,
} from '../modules/import/index.js';
import { wireItineraries } from '../start/itinerary-wiring.js';
import type { CommandInput, ExitCode } from './command.js';
import { duration, progressDisplay } from './import-progress.js';
import { withDatabase } from './with-database.js';

// Larger batches rewrite each index page of a growing database fewer times (one WAL copy per
// commit); 5,000 documents held parsed stay well within memory (docs/IMPORT.md "Measuring").
const DEFAULT_BATCH = 5000;
const MAX_BATCH = 10_000;
/** Rejections printed when no --report file is given. */
const SHOWN_REJECTIONS = 10;

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Writes the report of refused documents: CSV for a `.csv` file, NDJSON otherwise. */
function writeReport(file: string, rejected: readonly Rejection[]): void {
  const csv = file.toLowerCase().endsWith('.csv');
  const lines = rejected.map((r) =>
    csv
      ? [String(r.position), r.location, r.code, r.reason].map(csvField).join(',')
      : JSON.stringify({
          location: r.location,
          position: r.position,
          code: r.code,
          reason: r.reason,
        }),
  );
  const text = (csv ? ['position,location,code,reason', ...lines] : lines).join('\n');
  fs.writeFileSync(file, text === '' ? '' : `${text}\n`);
}

function summary(outcome: ImportOutcome, seconds: number, dryRun: boolean): string {
  const rate = Math.round((outcome.imported + outcome.rejected.length) / Math.max(seconds, 0.001));
  return [
    `${dryRun ? 'dry run (nothing written)' : 'import done'}: imported ${outcome.imported} (bookings merged into existing trips: ${outcome.merged})`,
    `rejected ${outcome.rejected.length}`,
    `time ${duration(seconds)}`,
    outcome.resumedAt > 0 ? `resumed after ${outcome.resumedAt} documents` : `${rate} docs/s`,
  ].join(', ');
}

/** Parses --batch: a whole number from 1 to MAX_BATCH. */
function batchSizeOf(value: string | boolean | undefined): number | undefined {
  if (value === undefined) return DEFAULT_BATCH;
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= MAX_BATCH ? n : undefined;
}

/** Runs `itinera import`. */
export async function importCommand(input: CommandInput): Promise<ExitCode> {
  const batchSize = batchSizeOf(input.options.batch);
  if (batchSize === undefined) {
    console.error(`--batch must be a whole number from 1 to ${MAX_BATCH}`);
    return 2;
  }
  const userMapFile = input.options['user-map'] as string | undefined;
  let source: ReturnType<typeof openImportSource>;
  let userMap: Map<string, string> | undefined;
  try {
    source = openImportSource(input.args.PATH as string);
    userMap = userMapFile === undefined ? undefined : readUserMap(userMapFile);
  } catch (error) {
    console.error(`cannot import: ${(error as Error).message}`);
    return 2;
  }
  const config = loadConfig();
  const baseUrl = config.publicBaseUrl ?? `http://localhost:${config.port}`;
  const dryRun = input.options['dry-run'] === true;
  const reportFile = input.options.report as string | undefined;
  return withDatabase(
    async (database) => {
      const service = new ImportService(database, (handle) =>
        wireItineraries(handle, { notificationMaxAgeSeconds: config.notificationMaxAgeSeconds }),
      );
      const began = Date.now();
      let display: ReturnType<typeof progressDisplay> | undefined;
      let outcome: ImportOutcome;
      try {
        outcome = await service.run({
          source,
          company: input.options.company as string,
          client: input.options.client as string,
          defaultUser: input.options.user as string | undefined,
          userMap,
          batchSize,
          maxDocumentBytes: config.bodyLimitBytes,
          baseUrl,
          dryRun,
          onProgress: (progress) => {
            // The first call is where this run starts: the rate and ETA count from there.
            if (display === undefined) display = progressDisplay(source.total.unit, progress);
            else display.update(progress);
          },
        });
      } catch (error) {
        if (error instanceof AppError) {
          console.error(`cannot import: ${error.message}`);
          return 2;
        }
        throw error;
      } finally {
        display?.stop();
      }
      if (outcome.alreadyDone) {
        console.log(`this input was imported before (import ${outcome.importId}): nothing to do`);
      }
      console.log(summary(outcome, (Date.now() - began) / 1000, dryRun));
      if (reportFile !== undefined) {
        writeReport(reportFile, outcome.rejected);
        console.log(`report of rejected documents: ${reportFile}`);
      } else {
        for (const r of outcome.rejected.slice(0, SHOWN_REJECTIONS)) {
          console.error(`rejected ${r.location}: ${r.reason}`);
        }
        if (outcome.rejected.length > SHOWN_REJECTIONS) {
          console.error(
            `… and ${outcome.rejected.length - SHOWN_REJECTIONS} more (use --report FILE)`,
          );
        }
      }
      return 0;
    },
    { bulk: !dryRun },
  );
}
