/**
 * `itinera serve | migrate | rollback | seed FILE | rotate-keys | issue-authtoken |
 * notification-secret`.
 */
import fs from 'node:fs';
import { loadConfig } from './config.js';
import { connectDatabase } from './db/connect.js';
import { migrateDown, migrateToLatest } from './db/migrate.js';
import { findAppByClientId } from './modules/accounts/app.repository.js';
import { seedDatabase, validateSeedFile } from './modules/accounts/seed/seed.service.js';
import { notificationSigningSecret } from './modules/notifications/delivery/notification-signing.js';
import { AUTHTOKEN_MAX_USES, issueAuthToken } from './modules/oauth/grants/auth-token.service.js';
import { createSigningKey } from './modules/oauth/keys/access-token.js';
import { SecretBox } from './security/secret-box.js';
import { startServer } from './server.js';

const USAGE = `usage: itinera <command>
  serve        start the API (default)
  migrate      bring the database schema up to date
  rollback     revert the latest migration
  seed FILE    load companies, users and apps from a JSON file (idempotent)
  rotate-keys  add a new token signing key (old keys keep verifying their tokens)
  issue-authtoken --company NAME --client CLIENT_ID
               issue a 24-hour company auth token for an app (credtype=authtoken)
  notification-secret CLIENT_ID
               print the secret an app checks notification signatures with`;

/** The value of `--name VALUE` or `--name=VALUE`. */
function option(args: string[], name: string): string | undefined {
  for (const [index, arg] of args.entries()) {
    if (arg === `--${name}`) return args[index + 1];
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return undefined;
}

async function withDatabase<T>(
  work: (handle: ReturnType<typeof connectDatabase>) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const handle = connectDatabase(config.database);
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command = 'serve', ...rest] = argv;
  switch (command) {
    case 'serve':
      await startServer(loadConfig());
      return -1;
    case 'migrate':
      return withDatabase(async ({ db, dialect }) => {
        const applied = await migrateToLatest(db, dialect);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
        return 0;
      });
    case 'rollback':
      return withDatabase(async ({ db, dialect }) => {
        const reverted = await migrateDown(db, dialect);
        console.log(reverted.length ? `reverted: ${reverted.join(', ')}` : 'nothing to revert');
        return 0;
      });
    case 'seed': {
      const file = rest[0];
      if (!file) {
        console.error(USAGE);
        return 2;
      }
      const data: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
      const seed = validateSeedFile(data);
      return withDatabase(async ({ db, dialect }) => {
        await migrateToLatest(db, dialect);
        const result = await seedDatabase(db, seed);
        console.log(
          `seeded ${result.companies} companies, ${result.users} users, ${result.apps} apps`,
        );
        return 0;
      });
    }
    case 'rotate-keys':
      return withDatabase(async ({ db, dialect }) => {
        await migrateToLatest(db, dialect);
        const kid = await createSigningKey(db, SecretBox.fromConfig(loadConfig()));
        console.log(`new signing key ${kid}; running servers sign with it within 5 minutes`);
        return 0;
      });
    case 'issue-authtoken': {
      const companyName = option(rest, 'company');
      const clientId = option(rest, 'client');
      if (!companyName || !clientId) {
        console.error(USAGE);
        return 2;
      }
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
    case 'notification-secret': {
      const clientId = rest[0];
      if (!clientId) {
        console.error(USAGE);
        return 2;
      }
      return withDatabase(async ({ db, dialect }) => {
        await migrateToLatest(db, dialect);
        const app = await findAppByClientId(db, clientId);
        if (!app) {
          console.error(`no app with client id '${clientId}'`);
          return 1;
        }
        // The same secret the subscribe answer carries; derived, so printing it changes nothing.
        console.log(
          await notificationSigningSecret(db, SecretBox.fromConfig(loadConfig()), app.id),
        );
        return 0;
      });
    }
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return 0;
    default:
      console.error(`unknown command '${command}'\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
