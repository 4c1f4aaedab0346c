/**
 * Child process: the real Itinera app on an existing SQLite file (embedded default settings
 * from connect.ts: WAL, synchronous=NORMAL), silent logging, 127.0.0.1 only.
 * Usage (from scripts/bench.ts): node --import tsx itinera-server.ts DB_FILE
 */
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { failStartup, serveForBenchmark } from './child-protocol.js';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: itinera-server.ts DB_FILE');
  // Only these variables: the caller's own environment (PUBLIC_BASE_URL, …) must not leak in.
  const config = loadConfig({ DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'silent' });
  await serveForBenchmark(await buildApp(config));
}

main().catch(failStartup);
