/**
 * A process that serves HTTP itself, alone (`WORKERS=1`) or as a cluster worker: it listens on
 * the configured address and closes gracefully on SIGINT/SIGTERM.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import type { Config } from '../config.js';
import { compileRemaining } from '../http/server/lazy-schema-compilers.js';
import { DRAIN_DEADLINE_MS } from './drain-deadline.js';

/**
 * Listens on `config.host:config.port`. On the first SIGINT or SIGTERM it stops accepting
 * connections, lets the requests in flight finish (Fastify answers 503 to new requests on
 * kept-alive connections meanwhile and closes idle ones), closes `app` and exits 0; past
 * `DRAIN_DEADLINE_MS`, or if closing fails, it closes every connection and exits 1.
 */
export async function listenUntilSignalled(
  app: FastifyInstance,
  config: Readonly<Config>,
): Promise<void> {
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: draining requests in flight');
    const deadline = setTimeout(() => {
      app.log.warn({ deadlineMs: DRAIN_DEADLINE_MS }, 'drain deadline passed; closing connections');
      app.server.closeAllConnections();
      process.exit(1);
    }, DRAIN_DEADLINE_MS);
    deadline.unref();
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
  // Serving now; the route schemas not yet needed are compiled between requests.
  compileRemaining().catch((error: unknown) =>
    app.log.error({ err: error }, 'a route schema does not compile'),
  );
}

/** Serves from this process alone, notification delivery included. */
export async function runSingleProcess(config: Readonly<Config>): Promise<void> {
  await listenUntilSignalled(await buildApp(config), config);
}
