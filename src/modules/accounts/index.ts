/**
 * The accounts module as other modules see it: who is calling (principals, roles, acting for
 * another user), users, companies and apps, and the regions an instance serves. Other feature
 * modules import accounts only through this file (test/architecture.test.ts checks it), so what
 * they rely on is listed here.
 */
export { resolveActingTarget, type UserSelector } from './acting-user.service.js';
export {
  callerAppOf,
  companyIdsOfApp,
  ensureFirstPartyClient,
  type FirstPartyClient,
  findAppByClientId,
  findAppById,
  postbackUrlsOfApps,
} from './app.repository.js';
export {
  companiesWithPreExpenseAir,
  findCompanyByName,
  findCompanyByNameOrId,
  regionsOfCompanies,
} from './company.repository.js';
export {
  ADMIN_ROLES,
  type AdminRole,
  type CallerApp,
  type CallerUser,
  isAdmin,
  type Principal,
  principalOf,
  READ_ADMIN_ROLES,
  WRITE_ADMIN_ROLES,
} from './principal.js';
export { Regions } from './regions.js';
export {
  type AnonymousProfile,
  anonymizeUserRow,
  callerUserOf,
  findUserById,
  findUserByLoginId,
} from './user.repository.js';
export { evictCachedUser } from './user-lookup-cache.js';
