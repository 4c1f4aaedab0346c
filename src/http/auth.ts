/**
 * Bearer authentication for the v1.1 API. Accepts `Authorization: Bearer …` and Concur's older
 * `Authorization: OAuth …`. No credentials → 401; a token that fails validation (bad signature,
 * expired, app or user disabled) → 403, as Concur documents (NOTES §6); a token without the
 * route's scope → 403.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { errors } from '../errors.js';
import { companyIdsOfApp, findAppById } from '../modules/accounts/app.repository.js';
import { callerApp, callerUser, type Principal } from '../modules/accounts/principal.js';
import type { Regions } from '../modules/accounts/regions.js';
import { findUserById, regionsOfCompanies } from '../modules/accounts/user.repository.js';
import {
  type AccessTokenClaims,
  APP_CLAIM,
  SCOPES_CLAIM,
  type TokenKeys,
} from '../modules/oauth/keys/access-token.js';
import { baseUrlOf } from './base-url.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

// Verified principals are cached briefly: RS256 verification and two lookups per request would
// otherwise dominate a small GET. 30 s bounds how long a disabled user keeps access.
const CACHE_TTL_MS = 30_000;
const CACHE_MAX = 10_000;

interface CacheEntry {
  principal: Principal;
  until: number;
}

/** Extracts the token from an Authorization header value, or undefined. */
export function tokenFromHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

async function loadPrincipal(
  db: Kysely<Database>,
  claims: AccessTokenClaims,
  regions: Regions,
  requestBaseUrl: string,
): Promise<Principal> {
  const appRow = await findAppById(db, claims[APP_CLAIM]);
  if (!appRow?.active) throw errors.forbidden('The application has been disabled.');
  const appCompanies = await companyIdsOfApp(db, appRow.id);
  const scopes = claims[SCOPES_CLAIM];
  if (claims['concur.type'] === 'company') {
    const connected = (claims.companies ?? []).filter((c) => appCompanies.includes(c));
    if (connected.length === 0) {
      throw errors.forbidden('The application is no longer connected to the company.');
    }
    // Only the companies whose region this instance serves.
    const regionOf = await regionsOfCompanies(db, connected);
    const companyIds = connected.filter((c) => regions.serves(regionOf.get(c) ?? ''));
    if (companyIds.length === 0) {
      const region = regionOf.get(connected[0] ?? '') ?? '';
      throw errors.wrongRegion(regions.geolocationOf(region, requestBaseUrl));
    }
    return { kind: 'company', app: callerApp(appRow), scopes, companyIds };
  }
  const userRow = await findUserById(db, claims.sub);
  if (!userRow?.active) throw errors.forbidden('The user has been disabled.');
  if (!appCompanies.includes(userRow.company_id)) {
    throw errors.forbidden("The application is not enabled for the user's company.");
  }
  const region = (await regionsOfCompanies(db, [userRow.company_id])).get(userRow.company_id) ?? '';
  if (!regions.serves(region)) {
    throw errors.wrongRegion(regions.geolocationOf(region, requestBaseUrl));
  }
  return {
    kind: 'user',
    app: callerApp(appRow),
    scopes,
    companyIds: [userRow.company_id],
    user: callerUser(userRow),
    userRow,
  };
}

/** Adds authentication, before the body is read, for routes whose config names a scope. */
export function registerAuth(
  app: FastifyInstance,
  db: Kysely<Database>,
  keys: TokenKeys,
  regions: Regions,
): void {
  const cache = new Map<string, CacheEntry>();

  async function authenticate(request: FastifyRequest): Promise<Principal> {
    const token = tokenFromHeader(request.headers.authorization);
    if (!token) {
      throw errors.unauthorized(
        request.headers.authorization
          ? 'The Authorization header must be "Bearer <access token>" or "OAuth <access token>".'
          : undefined,
      );
    }
    const now = Date.now();
    const cached = cache.get(token);
    if (cached && cached.until > now) return cached.principal;
    let claims: AccessTokenClaims;
    try {
      claims = await keys.verify(token);
    } catch {
      throw errors.forbidden('The access token is invalid, expired or revoked.');
    }
    const principal = await loadPrincipal(db, claims, regions, baseUrlOf(request));
    if (cache.size >= CACHE_MAX) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(token, { principal, until: Math.min(now + CACHE_TTL_MS, (claims.exp ?? 0) * 1000) });
    return principal;
  }

  app.addHook('onRequest', async (request) => {
    const scope = request.routeOptions.config?.scope;
    if (!scope) return;
    const principal = await authenticate(request);
    const accepted = typeof scope === 'string' ? [scope] : scope;
    // `*`: any valid token (token management endpoints).
    if (!accepted.some((s) => s === '*' || principal.scopes.includes(s))) {
      throw errors.insufficientScope(accepted.join("' or '"));
    }
    request.principal = principal;
  });
}

/** The authenticated caller of a route that declares a scope. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw errors.unauthorized();
  return request.principal;
}
