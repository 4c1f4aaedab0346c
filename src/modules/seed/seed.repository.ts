/**
 * Upserts for the seed command: companies by name, users by login id, apps by client id.
 */
import type { Executor } from '../../db/database.js';

export interface CompanyValues {
  id: string;
  name: string;
  region: string;
  createdAt: number;
}

/** Inserts or updates a company by name; returns its id. */
export async function upsertCompany(db: Executor, company: CompanyValues): Promise<string> {
  const existing = await db
    .selectFrom('companies')
    .select('id')
    .where('name', '=', company.name)
    .executeTakeFirst();
  if (existing) {
    await db
      .updateTable('companies')
      .set({ region: company.region })
      .where('id', '=', existing.id)
      .execute();
    return existing.id;
  }
  await db
    .insertInto('companies')
    .values({
      id: company.id,
      name: company.name,
      region: company.region,
      created_at: company.createdAt,
    })
    .execute();
  return company.id;
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

export interface AppValues {
  id: string;
  clientId: string;
  secretHash: string;
  name: string;
  kind: 'tmc' | 'supplier' | 'partner';
  scopes: string[];
  bookingSource: string | null;
  travelTypes: string[];
  agencyId: string | null;
  postbackUrl: string | null;
  redirectUris: string[];
  active: boolean;
  companyIds: string[];
  createdAt: number;
}

/** Inserts or updates an app by client id and sets exactly its connected companies. */
export async function upsertApp(db: Executor, app: AppValues): Promise<void> {
  const values = {
    client_secret_hash: app.secretHash,
    name: app.name,
    kind: app.kind,
    scopes: JSON.stringify(app.scopes),
    booking_source: app.bookingSource,
    travel_types: JSON.stringify(app.travelTypes),
    postback_url: app.postbackUrl,
    agency_id: app.agencyId,
    redirect_uris: JSON.stringify(app.redirectUris),
    active: app.active ? 1 : 0,
  };
  const existing = await db
    .selectFrom('apps')
    .select('id')
    .where('client_id', '=', app.clientId)
    .executeTakeFirst();
  const appId = existing?.id ?? app.id;
  if (existing) {
    await db.updateTable('apps').set(values).where('id', '=', appId).execute();
  } else {
    await db
      .insertInto('apps')
      .values({ ...values, id: appId, client_id: app.clientId, created_at: app.createdAt })
      .execute();
  }
  await db.deleteFrom('app_companies').where('app_id', '=', appId).execute();
  if (app.companyIds.length > 0) {
    await db
      .insertInto('app_companies')
      .values(app.companyIds.map((companyId) => ({ app_id: appId, company_id: companyId })))
      .execute();
  }
}
