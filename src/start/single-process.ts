/**
 * A process that serves HTTP itself, alone (`WORKERS=1`) or as a cluster worker: it listens on
 * the configured address and closes gracefully on SIGINT/SIGTERM.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import type { Config } from '../config.js';

/**
 * Listens on `config.host:config.port`; on the first SIGINT or SIGTERM closes `app` and exits
 * 0, or 1 if closing fails.
 */
export async function listenUntilSignalled(
  app: FastifyInstance,
  config: Readonly<Config>,
): Promise<void> {
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    try {
      await app.close();
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
}

/** Serves from this process alone, notification delivery included. */
export async function runSingleProcess(config: Readonly<Config>): Promise<void> {
  await listenUntilSignalled(await buildApp(config), config);
}
