/**
 * Tables and columns of Itinera's extensions beyond Concur's API: calendar feeds
 * (docs/CALENDAR.md) and expense readiness (docs/COMPATIBILITY.md "Expense readiness"). Kept
 * apart from database.ts, which lists them in `Database` and its table interfaces.
 */
import type { Generated } from 'kysely';

/** A traveller's calendar feed: the token's salt and its digest only (never the token). */
export interface CalendarFeedsTable {
  user_id: string;
  /** Random, base64url: the token is HMAC-SHA256(server secret, salt), never stored. */
  salt: string;
  /** SHA-256 of the token (base64url), the feed request's look-up. */
  token_digest: string;
  created_at: number;
  rotated_at: number;
}

/** The expense readiness a trip write stores (src/domain/expense-readiness.ts). */
export interface TripExpense {
  /** When the trip becomes expensable (its end, epoch ms); null: never. */
  expensable_at: number | null;
  /** 1 when it holds ticketed air: ready at once for a company with PreExpenseAir. */
  pre_expensable: Generated<number>;
}

/** A company's expense settings. */
export interface CompanyExpense {
  /** 1: Concur's PreExpenseAir option, ticketed air is ready to expense before the trip ends. */
  pre_expense_air: Generated<number>;
}
