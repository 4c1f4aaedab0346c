/**
 * Whom an import acts as (docs/IMPORT.md): the app named by `--client`, with a company-level
 * token for the company named by `--company`, the way a TMC loads its travellers' trips through
 * the API. The app's kind, booking source and agency then apply as they would to its calls.
 */
import type { Executor } from '../../db/database.js';
import { errors } from '../../errors.js';
import {
  callerAppOf,
  companyIdsOfApp,
  findAppByClientId,
  findCompanyByNameOrId,
  findUserByLoginId,
  type Principal,
} from '../accounts/index.js';

/** The caller an import acts as; throws (400) when the company, app or user does not fit. */
export async function importPrincipal(
  db: Executor,
  options: { company: string; client: string; defaultUser?: string },
): Promise<Principal> {
  const company = await findCompanyByNameOrId(db, options.company);
  if (!company)
    throw errors.badRequest(`No company is named (or has the id) '${options.company}'.`);
  const app = await findAppByClientId(db, options.client);
  if (!app?.active) throw errors.badRequest(`No active app has the client id '${options.client}'.`);
  if (!(await companyIdsOfApp(db, app.id)).includes(company.id)) {
    throw errors.badRequest(`The app '${options.client}' is not connected to '${company.name}'.`);
  }
  if (app.kind === 'partner') {
    throw errors.badRequest(
      `The app '${options.client}' is a partner app, which may only read trips.`,
    );
  }
  if (options.defaultUser !== undefined) {
    const user = await findUserByLoginId(db, options.defaultUser);
    if (!user || user.company_id !== company.id) {
      throw errors.badRequest(`No user '${options.defaultUser}' in '${company.name}' (--user).`);
    }
  }
  return {
    kind: 'company',
    app: callerAppOf(app),
    scopes: JSON.parse(app.scopes) as string[],
    companyIds: [company.id],
  };
}
