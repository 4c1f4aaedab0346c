/**
 * The `itinera` command (bin/itinera.js and the npm scripts run this file): `itinera --help`
 * lists the commands, which live in src/cli/ (commands.ts is the table).
 */
import { runCli } from './cli/command-line.js';

runCli(process.argv.slice(2)).then(
  (code) => {
    // -1: the server runs on until it is signalled.
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
