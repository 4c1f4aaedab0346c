/**
 * Who is calling: the app (OAuth client) and, for user tokens, the user. Built from a verified
 * access token and the current database state, so a disabled user or app stops working.
 */
import type { AppRow, UserRow } from '../../db/database.js';

/** Roles that let a user act for other users of the company (NOTES §1.1, §10 item 32). */
export const ADMIN_ROLES = [
  'WebServicesAdministrator',
  'CanAdminister',
  'CompanyAdministrator',
] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

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

/** Maps a user row to the caller shape. */
export function callerUser(row: UserRow): CallerUser {
  return {
    id: row.id,
    loginId: row.login_id,
    companyId: row.company_id,
    roles: JSON.parse(row.roles) as string[],
    firstName: row.first_name,
    lastName: row.last_name,
  };
}

/** Maps an app row to the caller shape. */
export function callerApp(row: AppRow): CallerApp {
  return {
    id: row.id,
    clientId: row.client_id,
    name: row.name,
    kind: row.kind,
    bookingSource: row.booking_source,
    travelTypes: JSON.parse(row.travel_types) as string[],
    agencyId: row.agency_id,
  };
}

/**
 * True when the caller may act for other users of its companies: a company-level app token,
 * or a user holding one of `roles`.
 */
export function isAdmin(principal: Principal, roles: readonly AdminRole[] = ADMIN_ROLES): boolean {
  if (principal.kind === 'company') return true;
  return principal.user?.roles.some((r) => (roles as readonly string[]).includes(r)) ?? false;
}
