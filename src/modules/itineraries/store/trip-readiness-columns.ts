/**
 * The `trips` columns of expense readiness (migration 2026-12-04T1225, src/domain/
 * expense-readiness.ts) as trip.repository.ts writes them, and the columns records never read.
 */
import type { ExpenseReadiness } from '../../../domain/expense-readiness.js';

/** Readiness columns, written by every trip write. */
export const READINESS_COLUMNS = ['expensable_at', 'pre_expensable'] as const;

/** The list's own columns (its index and readiness): a trip record is read without them. */
export const LIST_ONLY_COLUMNS: ReadonlySet<string> = new Set([
  'summary',
  'booking_types',
  'guest_key',
  ...READINESS_COLUMNS,
]);

/** The readiness columns of a new trip row. */
export function readinessRow(readiness: ExpenseReadiness): {
  expensable_at: number | null;
  pre_expensable: number;
} {
  return {
    expensable_at: readiness.expensableAt,
    pre_expensable: readiness.preExpensable ? 1 : 0,
  };
}

/** The readiness columns an update sets (none for values it leaves). */
export function readinessChanges(readiness: Partial<ExpenseReadiness>): {
  expensable_at?: number | null;
  pre_expensable?: number;
} {
  const { expensableAt, preExpensable } = readiness;
  return {
    ...(expensableAt !== undefined ? { expensable_at: expensableAt } : {}),
    ...(preExpensable !== undefined ? { pre_expensable: preExpensable ? 1 : 0 } : {}),
  };
}
