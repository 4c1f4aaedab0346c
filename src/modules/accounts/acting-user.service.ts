/**
 * Whose data a call acts on: the token's user, or, through `userid_type` + `userid_value`,
 * another user of a company the caller administers (SPEC §1.1, §2.1–§2.5).
 */
import type { Executor, UserRow } from '../../db/database.js';
import { errors } from '../../errors.js';
import { type AdminRole, isAdmin, type Principal } from './principal.js';
import { findUserById } from './user.repository.js';
import { cachedUserByLoginId } from './user-lookup-cache.js';

export interface UserSelector {
  useridType?: string;
  useridValue?: string;
}

/** The target of a call: one user, or (list only) every user of the caller's companies. */
export type ActingTarget = { kind: 'user'; user: UserRow } | { kind: 'all'; companyIds: string[] };

// Both spellings are documented (SPEC §10 item 14).
const LOGIN_TYPES = new Set(['login', 'login_id', 'loginid']);

/**
 * Resolves the user a call acts for. Without a selector: the token's user (a company-level
 * token must name one). With one: the caller needs an admin role among `adminRoles`, and the
 * user must belong to one of the caller's companies. `ALL` is accepted when `allowAll`.
 */
export async function resolveActingTarget(
  db: Executor,
  principal: Principal,
  selector: UserSelector,
  options: { adminRoles: readonly AdminRole[]; allowAll?: boolean },
): Promise<ActingTarget> {
  const { useridType, useridValue } = selector;
  if (useridType === undefined && useridValue === undefined) {
    if (principal.kind === 'company' || !principal.user) {
      throw errors.badRequest(
        'A company-level token must name the traveller with userid_type=login&userid_value=<login id>.',
      );
    }
    const self = principal.userRow ?? (await findUserById(db, principal.user.id));
    if (!self) throw errors.forbidden('The user of this token no longer exists.');
    return { kind: 'user', user: self };
  }
  if (!useridType || !LOGIN_TYPES.has(useridType.toLowerCase())) {
    throw errors.badRequest(
      "userid_type must be 'login' (or 'login_id') when userid_value is sent.",
    );
  }
  if (!useridValue) throw errors.badRequest('userid_value is missing.');
  if (options.allowAll && useridValue.toUpperCase() === 'ALL') {
    if (!isAdmin(principal, options.adminRoles)) {
      throw errors.forbidden('Listing the trips of all users requires an administrator role.');
    }
    return { kind: 'all', companyIds: principal.companyIds };
  }
  const user = await cachedUserByLoginId(db, useridValue);
  const own = principal.user !== undefined && user?.id === principal.user.id;
  if (!own && !isAdmin(principal, options.adminRoles)) {
    throw errors.forbidden('Acting for another user requires an administrator role.');
  }
  if (!user || !principal.companyIds.includes(user.company_id)) {
    throw errors.userNotFound(useridValue);
  }
  if (!user.active) throw errors.forbidden(`The user '${useridValue}' is inactive.`);
  return { kind: 'user', user };
}
