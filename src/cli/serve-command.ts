/** `itinera serve`: the API server (src/server.ts). */
import { loadConfig } from '../config.js';
import { startServer } from '../server.js';
import type { ExitCode } from './command.js';

/** Starts the server; the process keeps running until it is signalled (exit code -1). */
export async function serve(): Promise<ExitCode> {
  await startServer(loadConfig());
  return -1;
}
