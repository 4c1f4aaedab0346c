/**
 * What a migration may know of where it runs: the dialect, for the few statements that must
 * differ (migrations never import application code).
 */
import type { Dialect } from '../connect.js';

export interface MigrationContext {
  dialect: Dialect;
}
