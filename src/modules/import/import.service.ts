/**
 * `itinera import` (docs/IMPORT.md): documents from an input go through the itinerary services
 * the API uses (trip POST for `<Itinerary>`, booking POST with its merge for `<Booking>`, the
 * same validation and change notifications), many to a transaction. Each document runs in a
 * savepoint, so a refused one is undone alone and reported; the import's progress is written in
 * the same transaction, so a killed import resumes after its last commit, with nothing
 * half-written and nothing twice.
 */
import { batchHandle, inSavepoint } from '../../db/batch-transaction.js';
import type { DatabaseHandle } from '../../db/connect.js';
import { AppError } from '../../errors.js';
import { compactTripDayCounts, type ItineraryServices } from '../itineraries/index.js';
import {
  findImport,
  finishImport,
  insertImport,
  type Rejection,
  recordBatch,
  rejectionsOf,
  settleImportedTables,
} from './import.repository.js';
import { type PreparedDocument, prepareDocument, type TravellerRules } from './import-documents.js';
import { importPrincipal } from './import-principal.js';

type Principal = Awaited<ReturnType<typeof importPrincipal>>;

import type { ImportSource, SourceDocument } from './source-document.js';

/** The itinerary services on a database handle (the CLI wires them as the server does). */
export type ServicesFor = (
  database: DatabaseHandle,
) => Pick<ItineraryServices, 'trips' | 'bookings'>;

export interface ImportRequest extends TravellerRules {
  source: ImportSource;
  /** The company's name or id (`--company`) and the app's client id (`--client`). */
  company: string;
  client: string;
  /** Documents per transaction. */
  batchSize: number;
  /** The largest document accepted (the API's body limit). */
  maxDocumentBytes: number;
  /** The base URL notifications link trips with. */
  baseUrl: string;
  /** Runs every document through the services, then rolls each batch back. */
  dryRun?: boolean;
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportProgress {
  /** Documents committed (or, in a dry run, checked), this run and before. */
  documents: number;
  imported: number;
  merged: number;
  rejected: number;
  /** How far through the input, in the source's unit (documents or bytes), and its total. */
  done: number;
  total: number;
}

export interface ImportOutcome {
  importId: string;
  /** Documents committed by earlier runs of the same import (0 for a new one). */
  resumedAt: number;
  /** The whole import had been done before: nothing was read. */
  alreadyDone: boolean;
  imported: number;
  merged: number;
  rejected: Rejection[];
}

/** Rolls a dry run's batch back, carrying what it found. */
class DryRun extends Error {}

interface BatchResult {
  imported: number;
  merged: number;
  rejected: Rejection[];
}

export class ImportService {
  constructor(
    private readonly database: DatabaseHandle,
    private readonly servicesFor: ServicesFor,
  ) {}

  /** Runs (or resumes) an import; throws `AppError` 400 when its options do not fit. */
  async run(request: ImportRequest): Promise<ImportOutcome> {
    const { db } = this.database;
    const principal = await importPrincipal(db, {
      company: request.company,
      client: request.client,
      defaultUser: request.defaultUser,
    });
    const companyId = principal.companyIds[0] as string;
    const { source } = request;
    const id = `${source.fingerprint}-${companyId}`.slice(0, 100);
    let row = await findImport(db, id);
    if (!row && !request.dryRun) {
      await insertImport(db, {
        id,
        source: source.path,
        form: source.form,
        companyId,
        now: Date.now(),
      });
      row = await findImport(db, id);
    }
    const outcome: ImportOutcome = {
      importId: id,
      resumedAt: Number(row?.position ?? 0),
      alreadyDone: row?.finished_at != null,
      imported: Number(row?.imported ?? 0),
      merged: Number(row?.merged ?? 0),
      rejected: [],
    };
    if (outcome.alreadyDone) {
      outcome.rejected = await rejectionsOf(db, id);
      return outcome;
    }
    let rejectedCount = Number(row?.rejected ?? 0);
    let documents = Number(row?.position ?? 0);
    const from = { position: documents, byteOffset: Number(row?.byte_offset ?? 0) };
    const dryRejected: Rejection[] = [];
    const progress = (done: number): ImportProgress => ({
      documents,
      imported: outcome.imported,
      merged: outcome.merged,
      rejected: rejectedCount,
      done: source.total.unit === 'documents' ? documents : done,
      total: source.total.value,
    });
    // Where this run starts (the display measures its rate from here).
    request.onProgress?.(progress(from.byteOffset));
    const batches = inBatches(source.documents(from, request.maxDocumentBytes), request.batchSize);
    for await (const batch of batches) {
      const last = batch.at(-1) as SourceDocument;
      const prepared = batch.map((doc) => prepareDocument(doc, request));
      const result = await this.writeBatch(id, principal, request, batch, prepared, from);
      outcome.imported += result.imported;
      outcome.merged += result.merged;
      rejectedCount += result.rejected.length;
      if (request.dryRun) dryRejected.push(...result.rejected);
      documents = last.position + 1;
      from.position = documents;
      from.byteOffset = last.next;
      request.onProgress?.(progress(last.next));
    }
    if (request.dryRun) {
      outcome.rejected = dryRejected;
      return outcome;
    }
    await this.database.write(`import:${id}`, (trx) => finishImport(trx, id, Date.now()));
    await settleImportedTables(db, this.database.dialect, compactTripDayCounts);
    outcome.rejected = await rejectionsOf(db, id);
    return outcome;
  }

  /** One batch in one transaction: each document in its savepoint, then the progress. */
  private async writeBatch(
    id: string,
    principal: Principal,
    request: ImportRequest,
    batch: readonly SourceDocument[],
    prepared: readonly PreparedDocument[],
    from: { position: number },
  ): Promise<BatchResult> {
    const last = batch.at(-1) as SourceDocument;
    try {
      return await this.database.write(`import:${id}`, async (trx) => {
        if (!request.dryRun) {
          // Another run of the same import (started meanwhile) would import the batch twice.
          const current = await findImport(trx, id);
          if (Number(current?.position) !== from.position) {
            throw new Error(`another run of this import (${id}) has moved it on; stopping`);
          }
        }
        const services = this.servicesFor(batchHandle(trx, this.database.dialect));
        const result: BatchResult = { imported: 0, merged: 0, rejected: [] };
        for (const [index, doc] of batch.entries()) {
          const ready = prepared[index] as PreparedDocument;
          const reject = (code: string, reason: string) =>
            result.rejected.push({ position: doc.position, location: doc.location, code, reason });
          if (!ready.ok) {
            reject(ready.code, ready.reason);
            continue;
          }
          const selector = { useridType: 'login', useridValue: ready.loginId };
          try {
            const view = await inSavepoint(trx, () =>
              ready.root === 'Booking'
                ? services.bookings.post(
                    principal,
                    selector,
                    ready.document,
                    undefined,
                    request.baseUrl,
                  )
                : services.trips.create(principal, selector, ready.document, request.baseUrl),
            );
            result.imported++;
            if (ready.root === 'Booking' && (view.version ?? 1) > 1) result.merged++;
          } catch (error) {
            // The API's refusals are the document's; anything else stops the import.
            if (!(error instanceof AppError)) throw error;
            reject(error.code, error.message);
          }
        }
        if (request.dryRun) throw new DryRun(JSON.stringify(result));
        await recordBatch(trx, id, {
          position: last.position + 1,
          byteOffset: last.next,
          imported: result.imported,
          merged: result.merged,
          rejected: result.rejected,
          now: Date.now(),
        });
        return result;
      });
    } catch (error) {
      if (error instanceof DryRun) return JSON.parse(error.message) as BatchResult;
      throw error;
    }
  }
}

/** Groups documents into arrays of at most `size`. */
async function* inBatches<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
