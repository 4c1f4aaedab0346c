/**
 * OAuth clients ("apps": TMCs, TripLink suppliers, partners) and the companies each serves.
 */
import type { AppRow, Executor } from '../../db/database.js';

/** Finds an app by its public client id. */
export function findAppByClientId(db: Executor, clientId: string): Promise<AppRow | undefined> {
  return db.selectFrom('apps').selectAll().where('client_id', '=', clientId).executeTakeFirst();
}

/** Finds an app by id. */
export function findAppById(db: Executor, id: string): Promise<AppRow | undefined> {
  return db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Ids of the companies connected to an app. */
export async function companyIdsOfApp(db: Executor, appId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('app_companies')
    .select('company_id')
    .where('app_id', '=', appId)
    .orderBy('company_id')
    .execute();
  return rows.map((r) => r.company_id);
}
