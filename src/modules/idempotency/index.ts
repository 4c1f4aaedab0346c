/**
 * The idempotency module as the others see it: the service (wired by app.ts), its hooks, and
 * how a write route records its answer (Idempotency-Key, docs/COMPATIBILITY.md "Safe retries").
 */
export { keyScope, REPLAYED_HEADER, registerIdempotency } from './idempotency.hook.js';
export type { StoredReply } from './idempotency.repository.js';
export { forgetAnswersOfTrips } from './idempotency.repository.js';
export {
  DEFAULT_IDEMPOTENCY_TUNING,
  IdempotencyService,
  type IdempotencyTuning,
} from './idempotency.service.js';
