import type { RequestRoot } from '../xml/request-roots.js';

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
  }
}
