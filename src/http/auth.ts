/**
 * Bearer authentication for the routes that declare a scope (`config.scope`). Accepts
 * `Authorization: Bearer …` and Concur's older `Authorization: OAuth …`. No credentials → 401; a
 * token that fails validation (bad signature, expired, app or user disabled) → 403, as Concur
 * documents (SPEC §6); a token without the route's scope → 403.
 *
 * What a token means is not this plugin's business: `buildApp` injects the authenticator
 * (modules/oauth/bearer), which verifies the token and attaches the caller to the request.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors } from '../errors.js';

/** What the hook needs of a verified caller: the scopes its token grants. */
export interface AuthenticatedCaller {
  readonly scopes: readonly string[];
}

/**
 * Verifies a bearer token for a request and attaches the caller to it; throws an `AppError`
 * (403) when the token is not valid.
 */
export type Authenticate = (request: FastifyRequest, token: string) => Promise<AuthenticatedCaller>;

/** Extracts the token from an Authorization header value, or undefined. */
export function tokenFromHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** Adds authentication, before the body is read, for routes whose config names a scope. */
export function registerAuth(app: FastifyInstance, authenticate: Authenticate): void {
  app.addHook('onRequest', async (request) => {
    const scope = request.routeOptions.config?.scope;
    if (!scope) return;
    const token = tokenFromHeader(request.headers.authorization);
    if (!token) {
      throw errors.unauthorized(
        request.headers.authorization
          ? 'The Authorization header must be "Bearer <access token>" or "OAuth <access token>".'
          : undefined,
      );
    }
    const caller = await authenticate(request, token);
    const accepted = typeof scope === 'string' ? [scope] : scope;
    // `*`: any valid token (token management endpoints).
    if (!accepted.some((s) => s === '*' || caller.scopes.includes(s))) {
      throw errors.insufficientScope(accepted.join("' or '"));
    }
  });
}
