/**
 * The operations module: health, readiness, version and metrics endpoints, and the request
 * metrics hook. The metrics themselves live in src/observability (cross-cutting).
 */
export { type BuildInfo, readBuildInfo, readGitCommit } from './build-info.js';
export { type OperationsRoutesOptions, operationsRoutes } from './operations.routes.js';
export { ReadinessService } from './readiness.service.js';
export { registerRequestMetrics, UNMATCHED_ROUTE } from './request-metrics.js';
