/**
 * Users and companies (tenants). Login ids are stored lower-case and unique service-wide.
 */
import type { Executor, UserRow } from '../../db/database.js';

/** Finds a user by login id (case-insensitive). */
export function findUserByLoginId(db: Executor, loginId: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('login_id', '=', loginId.trim().toLowerCase())
    .executeTakeFirst();
}

/** Finds a user by id. */
export function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Finds a company by its unique name. */
export function findCompanyByName(db: Executor, name: string) {
  return db.selectFrom('companies').selectAll().where('name', '=', name).executeTakeFirst();
}

/** Finds a company by id. */
export function findCompanyById(db: Executor, id: string) {
  return db.selectFrom('companies').selectAll().where('id', '=', id).executeTakeFirst();
}
