/**
 * The `users` table. Login ids are stored lower-case and unique service-wide; roles are a JSON
 * array.
 */
import type { Executor, UserRow } from '../../db/database.js';
import type { CallerUser } from './principal.js';

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

/** A user row as the caller it is when its token is used. */
export function callerUserOf(row: UserRow): CallerUser {
  return {
    id: row.id,
    loginId: row.login_id,
    companyId: row.company_id,
    roles: JSON.parse(row.roles) as string[],
    firstName: row.first_name,
    lastName: row.last_name,
  };
}

export interface UserValues {
  id: string;
  companyId: string;
  loginId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  passwordHash: string;
  roles: string[];
  active: boolean;
  createdAt: number;
}

/** Inserts or updates a user by login id. */
export async function upsertUser(db: Executor, user: UserValues): Promise<void> {
  const values = {
    company_id: user.companyId,
    email: user.email,
    first_name: user.firstName,
    last_name: user.lastName,
    password_hash: user.passwordHash,
    roles: JSON.stringify(user.roles),
    active: user.active ? 1 : 0,
  };
  const existing = await db
    .selectFrom('users')
    .select('id')
    .where('login_id', '=', user.loginId)
    .executeTakeFirst();
  if (existing) {
    await db.updateTable('users').set(values).where('id', '=', existing.id).execute();
    return;
  }
  await db
    .insertInto('users')
    .values({ ...values, id: user.id, login_id: user.loginId, created_at: user.createdAt })
    .execute();
}

/** What a user's profile becomes when anonymized (docs/ACCESS.md, "Anonymizing a traveller"). */
export interface AnonymousProfile {
  loginId: string;
  firstName: string;
  lastName: string;
}

/**
 * Replaces a user's personal data by `profile`: login id and names replaced, e-mail and
 * password cleared, the account deactivated (nobody signs in as a forgotten person). The row
 * stays: trips, tokens and outbox rows refer to its id.
 */
export async function anonymizeUserRow(
  db: Executor,
  userId: string,
  profile: AnonymousProfile,
): Promise<void> {
  await db
    .updateTable('users')
    .set({
      login_id: profile.loginId.toLowerCase(),
      first_name: profile.firstName,
      last_name: profile.lastName,
      email: null,
      password_hash: null,
      active: 0,
    })
    .where('id', '=', userId)
    .execute();
  // Its tokens and calendar feed go too: a deactivated user's tokens and feed already fail,
  // these rows are of no use.
  await db.deleteFrom('refresh_tokens').where('user_id', '=', userId).execute();
  await db.deleteFrom('calendar_feeds').where('user_id', '=', userId).execute();
}
