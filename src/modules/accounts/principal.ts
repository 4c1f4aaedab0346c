/**
 * Who is calling: the app (OAuth client) and, for user tokens, the user. Built from a verified
 * access token and the current database state (oauth/bearer), so a disabled user or app stops
 * working; attached to the request as `request.principal`.
 */
import type { FastifyRequest } from 'fastify';
import type { AppRow, UserRow } from '../../db/database.js';
import { errors } from '../../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller of a route that declares a scope (src/http/auth.ts). */
    principal?: Principal;
  }
}

/** Roles that let a user act for other users of the company (SPEC §1.1, §10 item 32). */
export const ADMIN_ROLES = [
  'WebServicesAdministrator',
  'CanAdminister',
  'CompanyAdministrator',
] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

/** Roles documented for the read endpoints (GET pages list only these two; SPEC §10 item 32). */
export const READ_ADMIN_ROLES: readonly AdminRole[] = ['WebServicesAdministrator', 'CanAdminister'];
/** Roles documented for the write endpoints. */
export const WRITE_ADMIN_ROLES: readonly AdminRole[] = [
  'WebServicesAdministrator',
  'CanAdminister',
  'CompanyAdministrator',
];

export interface CallerApp {
  id: string;
  clientId: string;
  name: string;
  kind: AppRow['kind'];
  bookingSource: string | null;
  travelTypes: string[];
  /** The travel agency a TMC app acts for (trips of other agencies stay hidden). */
  agencyId: string | null;
}

export interface CallerUser {
  id: string;
  loginId: string;
  companyId: string;
  roles: string[];
  firstName: string | null;
  lastName: string | null;
}

export interface Principal {
  /** `user`: a person's token; `company`: an app's company-level token. */
  kind: 'user' | 'company';
  app: CallerApp;
  scopes: string[];
  /** Companies the token may reach: the user's company, or the app's connected companies. */
  companyIds: string[];
  user?: CallerUser;
  /** The user's row as loaded with the token (at most 30 s old), to act for oneself. */
  userRow?: UserRow;
}

/**
 * True when the caller may act for other users of its companies: a company-level app token,
 * or a user holding one of `roles`.
 */
export function isAdmin(principal: Principal, roles: readonly AdminRole[] = ADMIN_ROLES): boolean {
  if (principal.kind === 'company') return true;
  return principal.user?.roles.some((r) => (roles as readonly string[]).includes(r)) ?? false;
}

/** The authenticated caller of a route that declares a scope. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw errors.unauthorized();
  return request.principal;
}
