/**
 * Itinera's own operational endpoints (not Concur's; JSON answers, no OAuth):
 * `GET /healthz` (the process is alive), `GET /readyz` (it should get traffic), `GET /version`
 * (what code and schema run) and `GET /metrics` (Prometheus text, behind METRICS_TOKEN or
 * METRICS_PUBLIC).
 */
import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '../../db/connect.js';
import { localMetricsText, METRICS_CONTENT_TYPE } from '../../observability/metrics.js';
import type { BuildInfo } from './build-info.js';
import { metricsAccessCheck } from './metrics-access.js';
import type { ReadinessService } from './readiness.service.js';

export interface OperationsRoutesOptions {
  database: DatabaseHandle;
  /** The app's readiness (the app drains it on shutdown). */
  readiness: ReadinessService;
  buildInfo: BuildInfo;
  metricsToken?: string;
  metricsPublic: boolean;
  /** The metrics text to answer: this process's (default), or a cluster's from its primary. */
  metricsText?: () => Promise<string>;
}

/** A JSON endpoint of the `Operations` tag, summarised as `summary`. */
const jsonRoute = (summary: string) => ({
  config: { errorFormat: 'json' as const },
  schema: { summary, tags: ['Operations'] },
});

/** Registers the four endpoints. */
export async function operationsRoutes(
  app: FastifyInstance,
  options: OperationsRoutesOptions,
): Promise<void> {
  const { readiness } = options;
  const access = metricsAccessCheck(options);
  const metricsText = options.metricsText ?? localMetricsText;
  const { name, version, commit } = options.buildInfo;

  // Cheap on purpose: no database, so a slow database never gets a live process restarted.
  app.get('/healthz', jsonRoute('Liveness'), async () => ({ status: 'ok' }));

  app.get(
    '/readyz',
    jsonRoute('Readiness (database, migrations, draining)'),
    async (request, reply) => {
      const report = await readiness.check((error) =>
        request.log.warn({ err: error }, 'readiness check failed'),
      );
      return reply
        .code(report.ready ? 200 : 503)
        .send({ status: report.ready ? 'ok' : 'unavailable', checks: report.checks });
    },
  );

  app.get('/version', jsonRoute('Name, version, commit and schema'), async (request) => {
    let migration: string | null = null;
    try {
      migration = await readiness.latestMigration();
    } catch (error) {
      // The rest still answers; /readyz says what is wrong with the database.
      request.log.warn({ err: error }, 'latest migration unreadable');
    }
    return { name, version, commit, database: options.database.dialect, migration };
  });

  app.get('/metrics', jsonRoute('Prometheus metrics (METRICS_TOKEN)'), async (request, reply) => {
    const decision = access(request.headers.authorization);
    if (decision === 'disabled') {
      return reply.code(404).send({
        message:
          'Metrics are off: set METRICS_TOKEN (scrapers send it as a bearer token) or METRICS_PUBLIC=true.',
      });
    }
    if (decision === 'unauthorized') {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="metrics"')
        .send({ message: 'A valid METRICS_TOKEN bearer token is required.' });
    }
    let text: string;
    try {
      text = await metricsText();
    } catch (error) {
      request.log.error({ err: error }, 'metrics collection failed');
      return reply.code(503).send({ message: 'The metrics could not be collected; try again.' });
    }
    return reply.type(METRICS_CONTENT_TYPE).send(text);
  });
}
