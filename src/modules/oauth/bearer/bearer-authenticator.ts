/**
 * What an access token means for a request: the principal (app, scopes, companies, user) built
 * from the verified token and the current state of the app and user, attached to the request
 * as `request.principal`. Injected into the auth hook of src/http/auth.ts by `buildApp`.
 */
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { Database } from '../../../db/database.js';
import { errors } from '../../../errors.js';
import { baseUrlOf } from '../../../http/base-url.js';
import {
  callerAppOf,
  callerUserOf,
  companyIdsOfApp,
  findAppById,
  findUserById,
  type Principal,
  type Regions,
  regionsOfCompanies,
} from '../../accounts/index.js';
import {
  type AccessTokenClaims,
  APP_CLAIM,
  SCOPES_CLAIM,
  type TokenKeys,
} from '../keys/access-token.js';
import { isSessionLive } from '../tokens/refresh-token.repository.js';

// Verified principals are cached briefly: RS256 verification and two lookups per request would
// otherwise dominate a small GET. 30 s bounds how long a disabled user keeps access.
const CACHE_TTL_MS = 30_000;
const CACHE_MAX = 10_000;

/** A verified token's principal, and the sign-in it is bound to (pre-2017 tokens). */
interface Verified {
  principal: Principal;
  sessionId?: string;
}

export class BearerAuthenticator {
  private readonly cache = new LRUCache<string, Verified>({ max: CACHE_MAX });

  constructor(
    private readonly db: Kysely<Database>,
    private readonly keys: TokenKeys,
    private readonly regions: Regions,
  ) {}

  /**
   * Verifies `token` and attaches its principal to `request`. 403 when the token is invalid,
   * expired or revoked, or its app or user was disabled or moved to another region.
   */
  async authenticate(request: FastifyRequest, token: string): Promise<Principal> {
    const now = Date.now();
    let verified = this.cache.get(token);
    if (!verified) {
      let claims: AccessTokenClaims;
      try {
        claims = await this.keys.verify(token);
      } catch {
        throw errors.forbidden('The access token is invalid, expired or revoked.');
      }
      verified = {
        principal: await this.load(claims, baseUrlOf(request)),
        ...(typeof claims.sid === 'string' ? { sessionId: claims.sid } : {}),
      };
      const ttl = Math.min(CACHE_TTL_MS, (claims.exp ?? 0) * 1000 - now);
      if (ttl > 0) this.cache.set(token, verified, { ttl });
    }
    // A pre-2017 token lives a year: it ends when its sign-in is revoked (revoketoken.ashx), so
    // that is checked on every call, cached or not.
    if (verified.sessionId !== undefined && !(await isSessionLive(this.db, verified.sessionId))) {
      this.cache.delete(token);
      throw errors.forbidden('The access token is invalid, expired or revoked.');
    }
    request.principal = verified.principal;
    return verified.principal;
  }

  private async load(claims: AccessTokenClaims, requestBaseUrl: string): Promise<Principal> {
    const { db, regions } = this;
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
      return { kind: 'company', app: callerAppOf(appRow), scopes, companyIds };
    }
    const userRow = await findUserById(db, claims.sub);
    if (!userRow?.active) throw errors.forbidden('The user has been disabled.');
    if (!appCompanies.includes(userRow.company_id)) {
      throw errors.forbidden("The application is not enabled for the user's company.");
    }
    const region =
      (await regionsOfCompanies(db, [userRow.company_id])).get(userRow.company_id) ?? '';
    if (!regions.serves(region)) {
      throw errors.wrongRegion(regions.geolocationOf(region, requestBaseUrl));
    }
    return {
      kind: 'user',
      app: callerAppOf(appRow),
      scopes,
      companyIds: [userRow.company_id],
      user: callerUserOf(userRow),
      userRow,
    };
  }
}
