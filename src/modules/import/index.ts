/**
 * The import module as the CLI sees it (`itinera import`, docs/IMPORT.md): the inputs, the user
 * map, the service.
 */

export type { Rejection } from './import.repository.js';
export {
  type ImportOutcome,
  type ImportProgress,
  type ImportRequest,
  ImportService,
  type ServicesFor,
} from './import.service.js';
export { type ImportSource, openImportSource, type SourceForm } from './import-sources.js';
export { readUserMap } from './user-map.js';
