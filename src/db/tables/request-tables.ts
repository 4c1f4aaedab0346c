/**
 * The tables of request handling, shared by every process: rate-limit counters, recent failed
 * sign-ins and idempotency keys. Kept apart from database.ts, which lists them in `Database`.
 */

/** Requests counted for one (app, company) in one fixed window, summed over all processes. */
export interface RateLimitCountersTable {
  app_id: string;
  company_id: string;
  /** Length of the window: 60 (minute) or 3600 (hour). */
  window_seconds: number;
  /** Start of the window, epoch milliseconds (a multiple of the window length). */
  window_start: number;
  count: number;
  /** End of the window; the row may be deleted from then on. */
  expires_at: number;
}

/** Recent failed sign-ins of one user or client (src/modules/oauth/sign-in/). */
export interface SignInFailuresTable {
  /** HMAC of the scope and the login id or client key (no personal data in clear). */
  key: string;
  /** Failures since the key's last quiet window. */
  failures: number;
  last_failure_at: number;
  /** When the failures are forgotten (the last failure plus the window); then deleted. */
  expires_at: number;
}

/** Idempotency keys per (scope: app, company, user; key): see src/modules/idempotency/. */
export interface IdempotencyKeysTable {
  scope: string;
  idem_key: string;
  /** Digest of method, URL and body of the request that claimed the key. */
  request_digest: string;
  /** The claim's holder (a random token) while `running`; null once done. */
  claim_token: string | null;
  claimed_until: number;
  state: 'running' | 'done';
  status: number | null;
  /** JSON object of the answer's replayed headers. */
  headers: string | null;
  body: string | null;
  created_at: number;
  expires_at: number;
}
