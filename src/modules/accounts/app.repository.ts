/**
 * The `apps` table (OAuth clients: TMCs, TripLink suppliers, partners) and `app_companies`, the
 * companies each serves. Scopes, travel types and redirect URIs are JSON arrays.
 */
import type { AppRow, Executor } from '../../db/database.js';
import type { CallerApp } from './principal.js';

/** Finds an app by its public client id. */
export function findAppByClientId(db: Executor, clientId: string): Promise<AppRow | undefined> {
  // PostgreSQL text cannot hold NUL (the query would fail: a 500), and no client id holds one.
  if (clientId.includes('\u0000')) return Promise.resolve(undefined);
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

/** An app row as the caller it is when its token is used. */
export function callerAppOf(row: AppRow): CallerApp {
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

/** Where each app's notifications go now (apps without a postback URL map to null). */
export async function postbackUrlsOfApps(
  db: Executor,
  appIds: readonly string[],
): Promise<Map<string, string | null>> {
  if (appIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('apps')
    .select(['id', 'postback_url'])
    .where('id', 'in', appIds)
    .execute();
  return new Map(rows.map((row) => [row.id, row.postback_url]));
}

/** A client Itinera itself runs (its web app): public (no secret), one redirect URI. */
export interface FirstPartyClient {
  id: string;
  clientId: string;
  name: string;
  scopes: string[];
  redirectUri: string;
  /** Whether `redirectUri` replaces the registered ones (a fixed PUBLIC_BASE_URL) or joins them. */
  onlyRedirect: boolean;
  now: number;
}

/**
 * Registers a first-party public client on first use and keeps it usable by every company:
 * the row is inserted unless present (an operator's `active = 0` is kept), the redirect URI
 * registered, and companies not yet connected are connected. Idempotent, safe to race.
 */
export async function ensureFirstPartyClient(
  db: Executor,
  client: FirstPartyClient,
): Promise<AppRow | undefined> {
  await db
    .insertInto('apps')
    .values({
      id: client.id,
      client_id: client.clientId,
      // Empty: no secret verifies against it, so the token endpoint refuses the client and
      // only the server's own code redemption (PKCE required) serves it.
      client_secret_hash: '',
      name: client.name,
      kind: 'partner',
      scopes: JSON.stringify(client.scopes),
      booking_source: null,
      travel_types: '[]',
      postback_url: null,
      agency_id: null,
      redirect_uris: JSON.stringify([client.redirectUri]),
      active: 1,
      created_at: client.now,
    })
    .onConflict((conflict) => conflict.column('client_id').doNothing())
    .execute();
  const row = await findAppByClientId(db, client.clientId);
  if (!row) return undefined;
  const registered = JSON.parse(row.redirect_uris) as string[];
  const wanted = client.onlyRedirect
    ? [client.redirectUri]
    : [...registered.filter((uri) => uri !== client.redirectUri), client.redirectUri];
  if (JSON.stringify(wanted) !== row.redirect_uris) {
    row.redirect_uris = JSON.stringify(wanted);
    await db
      .updateTable('apps')
      .set({ redirect_uris: row.redirect_uris })
      .where('id', '=', row.id)
      .execute();
  }
  await db
    .insertInto('app_companies')
    .columns(['app_id', 'company_id'])
    .expression((eb) =>
      eb
        .selectFrom('companies')
        .select([eb.val(row.id).as('app_id'), 'companies.id'])
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('app_companies')
                .select('app_companies.app_id')
                .where('app_companies.app_id', '=', row.id)
                .whereRef('app_companies.company_id', '=', 'companies.id'),
            ),
          ),
        ),
    )
    .onConflict((conflict) => conflict.columns(['app_id', 'company_id']).doNothing())
    .execute();
  return row;
}
