/**
 * `itinera seed`, `rotate-keys`, `issue-authtoken` and `notification-secret`: the accounts,
 * keys and secrets an operator manages. Each brings the schema up to date first.
 */
import fs from 'node:fs';
import { loadConfig } from '../config.js';
import { migrateToLatest } from '../db/migrate.js';
import { findAppByClientId } from '../modules/accounts/app.repository.js';
import { seedDatabase, validateSeedFile } from '../modules/accounts/seed/seed.service.js';
import { notificationSigningSecret } from '../modules/notifications/delivery/notification-signing.js';
import { AUTHTOKEN_MAX_USES, issueAuthToken } from '../modules/oauth/grants/auth-token.service.js';
import { createSigningKey } from '../modules/oauth/keys/access-token.js';
import { resealSecretsAtRest } from '../modules/oauth/keys/keys-at-rest.js';
import { SecretBox } from '../security/secret-box.js';
import type { CommandInput, ExitCode } from './command.js';
import { withDatabase } from './with-database.js';

/** Reads and checks the seed file before the database is touched. */
function readSeedFile(file: string): ReturnType<typeof validateSeedFile> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the seed file ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`the seed file ${file} is not JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return validateSeedFile(data);
}

/** Loads companies, users and apps from the JSON file (idempotent). */
export function seed(input: CommandInput): Promise<ExitCode> {
  const file = readSeedFile(input.args.FILE ?? '');
  return withDatabase(async ({ db, dialect }) => {
    await migrateToLatest(db, dialect);
    const result = await seedDatabase(db, file);
    console.log(`seeded ${result.companies} companies, ${result.users} users, ${result.apps} apps`);
    return 0;
  });
}

/** Adds a signing key. */
export function rotateKeys(): Promise<ExitCode> {
  const secrets = SecretBox.fromConfig(loadConfig());
  return withDatabase(async (handle) => {
    await migrateToLatest(handle.db, handle.dialect);
    // As a server start would: refuse (changing nothing) if the stored keys are sealed with
    // another SECRETS_KEY, so that the new key is never written in a form servers cannot read.
    await resealSecretsAtRest(handle, secrets);
    const kid = await createSigningKey(handle.db, secrets);
    console.log(`new signing key ${kid}; running servers sign with it within 5 minutes`);
    return 0;
  });
}

/** Issues a company auth token for an app and prints it once. */
export function issueAuthtoken(input: CommandInput): Promise<ExitCode> {
  const companyName = String(input.options.company);
  const clientId = String(input.options.client);
  return withDatabase(async ({ db, dialect }) => {
    await migrateToLatest(db, dialect);
    const issued = await issueAuthToken(db, { companyName, clientId });
    // Printed once and never stored in clear: whoever runs this hands it to the app.
    console.log(`company_id ${issued.companyId}`);
    console.log(`authtoken ${issued.token}`);
    console.log(`expires ${new Date(issued.expiresAt).toISOString()}`);
    console.log(
      `Send grant_type=password&credtype=authtoken&username=<company_id>&password=<authtoken> ` +
        `with ${clientId}'s credentials; it works ${AUTHTOKEN_MAX_USES} times within 24 hours.`,
    );
    return 0;
  });
}

/** Prints the secret an app checks notification signatures with. */
export function notificationSecret(input: CommandInput): Promise<ExitCode> {
  const clientId = input.args.CLIENT_ID ?? '';
  return withDatabase(async ({ db, dialect }) => {
    await migrateToLatest(db, dialect);
    const app = await findAppByClientId(db, clientId);
    if (!app) {
      console.error(`no app with client id '${clientId}'`);
      return 1;
    }
    // The same secret the subscribe answer carries; derived, so printing it changes nothing.
    console.log(await notificationSigningSecret(db, SecretBox.fromConfig(loadConfig()), app.id));
    return 0;
  });
}
