/**
 * Issuing company auth tokens (`itinera issue-authtoken`): what Concur's App Center hands an
 * app when a company connects it. The token is shown once and stored as a digest.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database.js';
import { errors } from '../../../errors.js';
import { digestToken, randomToken } from '../../../security/secret-hash.js';
import { companyIdsOfApp, findAppByClientId, findCompanyByName } from '../../accounts/index.js';
import { deleteExpiredAuthTokens, insertAuthToken } from './auth-token.repository.js';

/** An auth token is valid for 24 hours (COAUTH). */
export const AUTHTOKEN_TTL_MS = 24 * 3600_000;
/** And "can only be used up five times" (TMCOVR). */
export const AUTHTOKEN_MAX_USES = 5;

export interface IssuedAuthToken {
  /** The token itself: shown once, never stored. */
  token: string;
  /** The `username` to send with it. */
  companyId: string;
  clientId: string;
  expiresAt: number;
}

/** Issues an auth token for a company and an app connected to it. */
export async function issueAuthToken(
  db: Kysely<Database>,
  target: { companyName: string; clientId: string },
  now = Date.now(),
): Promise<IssuedAuthToken> {
  const company = await findCompanyByName(db, target.companyName);
  if (!company) throw errors.badRequest(`No company is named '${target.companyName}'.`);
  const app = await findAppByClientId(db, target.clientId);
  if (!app) throw errors.badRequest(`No app has the client id '${target.clientId}'.`);
  if (!app.active) throw errors.badRequest(`The app '${target.clientId}' is disabled.`);
  if (!(await companyIdsOfApp(db, app.id)).includes(company.id)) {
    throw errors.badRequest(
      `The app '${target.clientId}' is not connected to '${target.companyName}'.`,
    );
  }
  const token = randomToken();
  const expiresAt = now + AUTHTOKEN_TTL_MS;
  await deleteExpiredAuthTokens(db, now);
  await insertAuthToken(db, {
    id: randomUUID(),
    tokenHash: digestToken(token),
    appId: app.id,
    companyId: company.id,
    expiresAt,
    createdAt: now,
  });
  return { token, companyId: company.id, clientId: app.client_id, expiresAt };
}
