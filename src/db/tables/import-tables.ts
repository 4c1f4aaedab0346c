/**
 * The tables of `itinera import` (docs/IMPORT.md): one row per import of an input, holding how
 * far it has committed, and the documents it rejected. Kept apart from database.ts, which lists
 * them in `Database`.
 */

/**
 * One import of one input for one company. `id` is a digest of the input (path, size and
 * modification time of each file) and the company, so that a rerun of the same import finds
 * it. `position` and `byte_offset` are where the next document starts; they are written in the
 * transaction of each batch, so they never run ahead of (or behind) what is committed.
 */
export interface ImportsTable {
  id: string;
  source: string;
  form: string;
  company_id: string;
  position: number;
  byte_offset: number;
  imported: number;
  merged: number;
  rejected: number;
  started_at: number;
  updated_at: number;
  finished_at: number | null;
}

/** A document an import refused: where it is in the input, and why. */
export interface ImportRejectionsTable {
  import_id: string;
  position: number;
  location: string;
  code: string;
  reason: string;
}
