/**
 * `itinera seed FILE`: loads companies, users and apps from a JSON file, idempotently (running
 * it twice leaves the same state). Secrets are hashed before they are stored. All or nothing.
 */
import { randomUUID } from 'node:crypto';
import { Value } from '@sinclair/typebox/value';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database.js';
import { hashSecret } from '../../../security/secret-hash.js';
import { upsertApp } from '../app.repository.js';
import { findCompanyByName, upsertCompany } from '../company.repository.js';
import { upsertUser } from '../user.repository.js';
import { SeedFile } from './seed-file.schema.js';

export interface SeedResult {
  companies: number;
  users: number;
  apps: number;
}

/** An absolute http(s) URL without a fragment (RFC 6749 §3.1.2). */
function isRedirectUri(uri: string): boolean {
  if (!URL.canParse(uri) || uri.includes('#') || /\s/.test(uri)) return false;
  const { protocol, hostname } = new URL(uri);
  return (protocol === 'https:' || protocol === 'http:') && hostname !== '';
}

/** Validates a parsed seed file; throws listing every problem. */
export function validateSeedFile(data: unknown): SeedFile {
  if (Value.Check(SeedFile, data)) {
    const file = data as SeedFile;
    const problems: string[] = [];
    for (const app of file.apps ?? []) {
      if (app.postbackUrl && !/^https?:\/\//.test(app.postbackUrl)) {
        problems.push(`app ${app.clientId}: postbackUrl must be an http(s) URL`);
      }
      for (const uri of app.redirectUris ?? []) {
        if (!isRedirectUri(uri)) {
          problems.push(
            `app ${app.clientId}: redirect URI '${uri}' must be an absolute http(s) URL without a fragment`,
          );
        }
      }
    }
    if (problems.length === 0) return file;
    throw new Error(`Invalid seed file:\n  - ${problems.join('\n  - ')}`);
  }
  const problems = [...Value.Errors(SeedFile, data)]
    .slice(0, 20)
    .map((e) => `${e.path || '/'}: ${e.message}`);
  throw new Error(`Invalid seed file:\n  - ${problems.join('\n  - ')}`);
}

/** Loads a validated seed file in one transaction. */
export async function seedDatabase(db: Kysely<Database>, file: SeedFile): Promise<SeedResult> {
  // Hash first: scrypt is slow and must not hold the write transaction open.
  const userHashes = await Promise.all((file.users ?? []).map((u) => hashSecret(u.password)));
  const appHashes = await Promise.all((file.apps ?? []).map((a) => hashSecret(a.clientSecret)));
  const now = Date.now();
  await db.transaction().execute(async (trx) => {
    const companyIds = new Map<string, string>();
    for (const company of file.companies ?? []) {
      const id = await upsertCompany(trx, {
        id: randomUUID(),
        name: company.name,
        region: company.region,
        preExpenseAir: company.preExpenseAir,
        createdAt: now,
      });
      companyIds.set(company.name, id);
    }
    // Users and apps may name companies seeded by an earlier file.
    const companyId = async (name: string, who: string): Promise<string> => {
      const id = companyIds.get(name) ?? (await findCompanyByName(trx, name))?.id;
      if (!id) throw new Error(`Invalid seed file: ${who} names the unknown company '${name}'.`);
      companyIds.set(name, id);
      return id;
    };
    for (const [index, user] of (file.users ?? []).entries()) {
      await upsertUser(trx, {
        id: randomUUID(),
        companyId: await companyId(user.company, `user ${user.loginId}`),
        loginId: user.loginId.trim().toLowerCase(),
        email: user.email ?? null,
        firstName: user.firstName ?? null,
        lastName: user.lastName ?? null,
        passwordHash: userHashes[index]!,
        roles: user.roles ?? [],
        active: user.active ?? true,
        createdAt: now,
      });
    }
    for (const [index, app] of (file.apps ?? []).entries()) {
      const appCompanyIds: string[] = [];
      for (const name of app.companies)
        appCompanyIds.push(await companyId(name, `app ${app.clientId}`));
      await upsertApp(trx, {
        id: randomUUID(),
        clientId: app.clientId,
        secretHash: appHashes[index]!,
        name: app.name,
        kind: app.kind,
        scopes: app.scopes,
        bookingSource: app.bookingSource ?? null,
        travelTypes: app.travelTypes ?? [],
        agencyId: app.agencyId ?? null,
        postbackUrl: app.postbackUrl ?? null,
        redirectUris: app.redirectUris ?? [],
        active: app.active ?? true,
        companyIds: appCompanyIds,
        createdAt: now,
      });
    }
  });
  return {
    companies: file.companies?.length ?? 0,
    users: file.users?.length ?? 0,
    apps: file.apps?.length ?? 0,
  };
}
