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

export interface UserFilter {
  companyIds: readonly string[];
  loginId?: string;
  primaryEmail?: string;
  active?: boolean;
}

function filteredUsers(db: Executor, filter: UserFilter) {
  let query = db
    .selectFrom('users')
    .innerJoin('companies', 'companies.id', 'users.company_id')
    .where('users.company_id', 'in', [...filter.companyIds]);
  if (filter.loginId !== undefined) {
    query = query.where('users.login_id', '=', filter.loginId.trim().toLowerCase());
  }
  if (filter.primaryEmail !== undefined) {
    query = query.where((eb) =>
      eb(eb.fn('lower', ['users.email']), '=', filter.primaryEmail!.trim().toLowerCase()),
    );
  }
  if (filter.active !== undefined) query = query.where('users.active', '=', filter.active ? 1 : 0);
  return query;
}

/** One page of the users matching a filter, by login id, with their company's name. */
export function findUsers(
  db: Executor,
  filter: UserFilter,
  page: { offset: number; limit: number },
) {
  return filteredUsers(db, filter)
    .select([
      'users.id',
      'users.login_id',
      'users.email',
      'users.first_name',
      'users.last_name',
      'users.active',
      'companies.name as company_name',
    ])
    .orderBy('users.login_id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** How many users match a filter. */
export async function countUsers(db: Executor, filter: UserFilter): Promise<number> {
  const row = await filteredUsers(db, filter)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Home regions of companies, by company id. */
export async function regionsOfCompanies(
  db: Executor,
  companyIds: readonly string[],
): Promise<Map<string, string>> {
  if (companyIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('companies')
    .select(['id', 'region'])
    .where('id', 'in', [...companyIds])
    .execute();
  return new Map(rows.map((r) => [r.id, r.region]));
}
