/**
 * The `companies` table: the tenants, each with a home region and its PreExpenseAir setting.
 */
import type { CompanyRow, Executor } from '../../db/database.js';

/** Finds a company by its unique name. */
export function findCompanyByName(db: Executor, name: string): Promise<CompanyRow | undefined> {
  return db.selectFrom('companies').selectAll().where('name', '=', name).executeTakeFirst();
}

/** Finds a company by its name or, failing that, its id (what an operator may type). */
export async function findCompanyByNameOrId(
  db: Executor,
  nameOrId: string,
): Promise<CompanyRow | undefined> {
  return (
    (await findCompanyByName(db, nameOrId)) ??
    (await db.selectFrom('companies').selectAll().where('id', '=', nameOrId).executeTakeFirst())
  );
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

export interface CompanyValues {
  id: string;
  name: string;
  region: string;
  /** PreExpenseAir (docs/COMPATIBILITY.md "Expense readiness"); absent keeps what is stored. */
  preExpenseAir?: boolean | undefined;
  createdAt: number;
}

/** The companies among `companyIds` with PreExpenseAir: their ticketed air is ready at once. */
export async function companiesWithPreExpenseAir(
  db: Executor,
  companyIds: readonly string[],
): Promise<string[]> {
  if (companyIds.length === 0) return [];
  const rows = await db
    .selectFrom('companies')
    .select('id')
    .where('id', 'in', [...companyIds])
    .where('pre_expense_air', '=', 1)
    .execute();
  return rows.map((row) => row.id);
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
      .set({
        region: company.region,
        ...(company.preExpenseAir === undefined
          ? {}
          : { pre_expense_air: company.preExpenseAir ? 1 : 0 }),
      })
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
      pre_expense_air: company.preExpenseAir ? 1 : 0,
      created_at: company.createdAt,
    })
    .execute();
  return company.id;
}
