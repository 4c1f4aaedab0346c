import type { Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { RequestRoot } from '../xml/request-roots.js';

/** A write's answer as it is sent, and stored for the retries of an `Idempotency-Key`. */
export interface RecordedAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Where a write route leaves its answer for replays (set by the idempotency hooks of
 * src/modules/idempotency/ when the request holds a key): `record` inside the write's
 * transaction, so that the answer is stored if and only if the write commits; `committed`
 * once it has.
 */
export interface AnswerRecorder {
  record(trx: Transaction<Database>, answer: RecordedAnswer): Promise<void>;
  committed(): void;
}

/**
 * Per-route options read by the shared plugins (XML body parsing, auth, error rendering).
 */
declare module 'fastify' {
  interface FastifyContextConfig {
    /** Document the XML body must hold; the XML plugin parses only for such routes. */
    xmlRoot?: RequestRoot;
    /** The route reads a JSON body (GetTrips): any other non-empty body is refused with 415. */
    jsonBody?: boolean;
    /**
     * How errors are rendered: Concur's XML `<Error>` (default), OAuth JSON, plain JSON, or the
     * v4 APIs' `{ errors: [{ errorCode, errorMessage }] }`.
     */
    errorFormat?: 'concur-xml' | 'oauth-json' | 'json' | 'v4-json';
    /**
     * OAuth scope the route requires (or any one of a list; `*` for any); when set, a valid
     * access token is required.
     */
    scope?: string | readonly string[];
    /**
     * Counts the call against the (app, company) request limits of the itinerary endpoints
     * (src/modules/rate-limits/rate-limit.hook.ts); needs `scope`, since the caller must be known.
     */
    rateLimited?: boolean;
    /**
     * A POST that writes: an `Idempotency-Key` makes its retries replay the first answer
     * (src/modules/idempotency/); needs `scope`, since keys belong to the caller.
     */
    idempotent?: boolean;
  }

  interface FastifyRequest {
    /** Set while a request to an `idempotent` route holds its `Idempotency-Key`'s claim. */
    answerRecorder?: AnswerRecorder;
  }
}
