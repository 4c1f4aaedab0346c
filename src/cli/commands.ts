/**
 * The table of `itinera` commands with their help. Each command's code is imported only when it
 * runs, so that `--help` and `--version` answer at once and load neither the server nor a
 * database driver.
 */
import type { CommandSpec } from './command.js';

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'serve',
    summary: 'start the API server',
    description:
      'Starts the HTTP server with the settings of the environment (PORT, HOST, DATABASE_URL,\n' +
      'WORKERS …): migrations run first, then WORKERS processes share the port. SIGTERM or\n' +
      'SIGINT stops it gracefully.',
    args: [],
    options: {},
    examples: ['PORT=8080 DATABASE_URL=sqlite:./data/itinera.db itinera serve'],
    run: async () => (await import('./serve-command.js')).serve(),
  },
  {
    name: 'migrate',
    summary: 'bring the database schema up to date',
    description: 'Applies the migrations not yet applied (serve does this too, at start-up).',
    args: [],
    options: {},
    examples: ['itinera migrate'],
    run: async () => (await import('./schema-commands.js')).migrate(),
  },
  {
    name: 'rollback',
    summary: 'revert the latest migration (needs --yes)',
    description:
      'Reverts the most recently applied migration, dropping the tables and columns it added\n' +
      'with their data. Without --yes it only says which migration it would revert, and exits 2.\n' +
      'Back the database up first (itinera backup FILE).',
    args: [],
    options: { yes: { type: 'boolean', help: 'really revert it' } },
    examples: ['itinera rollback          # says what it would revert', 'itinera rollback --yes'],
    run: async (input) => (await import('./schema-commands.js')).rollback(input),
  },
  {
    name: 'delete-trip',
    summary: 'delete a trip for good (needs --yes)',
    description:
      'Deletes a trip with its bookings, rendering, ticket index and unsent notifications, as\n' +
      'DELETE /travel/v4/trips/{id} does: subscribers hear ItineraryDeleted (ESS) or CANCEL\n' +
      '(v1.1), the change feed says deleted. Without --yes it only says what it would do (exit 2).',
    args: [{ name: 'TRIPID', help: 'the trip id (v1.1 TripId, v4 id)' }],
    options: { yes: { type: 'boolean', help: 'really delete it' } },
    examples: ['itinera delete-trip 3kx9fQ2mZp0aB7cD1eF4gH --yes'],
    run: async (input) => (await import('./erase-commands.js')).deleteTrip(input),
  },
  {
    name: 'anonymize-user',
    summary: "anonymize a traveller and all of the traveller's trips (needs --yes)",
    description:
      "Removes a traveller's personal data (right to be forgotten), as POST\n" +
      '/travel/v4/anonymizations does: the profile (names, login id, e-mail, password; the\n' +
      'account is deactivated) and every trip of theirs (names become a placeholder; contact\n' +
      'details, loyalty and ticket numbers, remarks go). Without --yes it only says what it\n' +
      'would do (exit 2).',
    args: [{ name: 'LOGINID', help: "the traveller's login id" }],
    options: {
      company: { type: 'string', value: 'NAME', help: 'check that the user is of this company' },
      yes: { type: 'boolean', help: 'really anonymize' },
    },
    examples: ['itinera anonymize-user jane.doe@acme.example --company "Acme Corp" --yes'],
    run: async (input) => (await import('./erase-commands.js')).anonymizeUser(input),
  },
  {
    name: 'seed',
    summary: 'load companies, users and apps from a JSON file (idempotent)',
    description:
      'Loads companies, users and OAuth apps from a JSON file (see examples/demo-seed.json),\n' +
      'creating or updating them: running it again with the same file changes nothing.\n' +
      'Passwords and client secrets are stored as scrypt hashes.',
    args: [{ name: 'FILE', help: 'the seed file (JSON)' }],
    options: {},
    examples: ['itinera seed examples/demo-seed.json'],
    run: async (input) => (await import('./account-commands.js')).seed(input),
  },
  {
    name: 'import',
    summary: 'load trips and bookings in bulk from XML files, NDJSON or an XML stream',
    description:
      'Loads <Itinerary> trips and <Booking> bookings through the same validation, merge and\n' +
      'notification rules as the API (trip POST, booking POST), as the app --client acting for\n' +
      'the company --company, many documents to a transaction. PATH is a directory of *.xml\n' +
      'files, an NDJSON file ({"user": LOGIN, "xml": DOCUMENT} per line) or an XML stream file\n' +
      '(documents inside one wrapper element); see docs/IMPORT.md. Refused documents are\n' +
      'reported with their place and reason while the rest goes in. Killed, it resumes after\n' +
      'its last committed batch when run again with the same input.',
    args: [
      { name: 'PATH', help: 'a directory of XML files, an NDJSON file or an XML stream file' },
    ],
    options: {
      company: { type: 'string', value: 'NAME', required: true, help: "the company's name or id" },
      client: {
        type: 'string',
        value: 'CLIENT_ID',
        required: true,
        help: 'the app the import acts as (connected to the company)',
      },
      user: { type: 'string', value: 'LOGINID', help: 'the traveller of documents that name none' },
      'user-map': {
        type: 'string',
        value: 'FILE',
        help: 'CSV or JSON: traveller ids of the input → login ids',
      },
      batch: { type: 'string', value: 'N', help: 'documents per transaction (default 5000)' },
      report: {
        type: 'string',
        value: 'FILE',
        help: 'write rejected documents here (.csv or NDJSON)',
      },
      'dry-run': { type: 'boolean', help: 'check every document, write nothing' },
    },
    examples: [
      'itinera import exports/trips.ndjson --company "Acme Corp" --client tmc-1 --report rejected.csv',
    ],
    run: async (input) => (await import('./import-command.js')).importCommand(input),
  },
  {
    name: 'rotate-keys',
    summary: 'add a new token signing key (old keys keep verifying their tokens)',
    description:
      'Adds a new RS256 signing key. Running servers sign with it within 5 minutes; tokens\n' +
      'signed with older keys stay valid until they expire.',
    args: [],
    options: {},
    examples: ['itinera rotate-keys'],
    run: async () => (await import('./account-commands.js')).rotateKeys(),
  },
  {
    name: 'issue-authtoken',
    summary: 'issue a 24-hour company auth token for an app (credtype=authtoken)',
    description:
      'Issues a company auth token for an app connected to the company, printed once (only its\n' +
      'digest is stored). The app exchanges it at the token endpoint with\n' +
      'grant_type=password&credtype=authtoken within 24 hours.',
    args: [],
    options: {
      company: { type: 'string', value: 'NAME', required: true, help: "the company's name" },
      client: { type: 'string', value: 'CLIENT_ID', required: true, help: "the app's client id" },
    },
    examples: ['itinera issue-authtoken --company "Acme Corp" --client tmc-1'],
    run: async (input) => (await import('./account-commands.js')).issueAuthtoken(input),
  },
  {
    name: 'notification-secret',
    summary: 'print the secret an app checks notification signatures with',
    description:
      'Prints the secret an app checks change-notification signatures with (the one the\n' +
      'subscribe answer carries). It is derived, so printing it changes nothing.',
    args: [{ name: 'CLIENT_ID', help: "the app's client id" }],
    options: {},
    examples: ['itinera notification-secret tmc-1'],
    run: async (input) => (await import('./account-commands.js')).notificationSecret(input),
  },
  {
    name: 'backup',
    summary: 'copy the SQLite database to FILE while the server runs',
    description:
      'Writes a consistent copy of the embedded SQLite database (DATABASE_URL) to FILE through\n' +
      "SQLite's online backup API; servers may keep running and writing. The copy is checked\n" +
      '(PRAGMA integrity_check) and is a single standalone file. It is written to a temporary\n' +
      'file next to FILE and renamed at the end, so a failed backup leaves nothing at FILE.\n' +
      'An existing FILE is kept unless --force. On PostgreSQL it prints the pg_dump command to\n' +
      'use instead, and exits 2.',
    args: [{ name: 'FILE', help: 'where to write the backup' }],
    options: { force: { type: 'boolean', help: 'replace FILE if it exists' } },
    examples: ['itinera backup backups/itinera-$(date +%F).db'],
    run: async (input) => (await import('./backup-command.js')).backup(input),
  },
];
